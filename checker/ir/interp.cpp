// SPDX-License-Identifier: MIT
#include "checker/ir/interp.hpp"

#include <cstring>

#include "checker/support/check.hpp"

namespace iomc::ir {

namespace {

/// Copies a packed state; small states (the common case) without a call. Both buffers have
/// the 8 bytes of slack every state buffer has, so whole words may be copied.
inline void copy_state(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) {
    if (n <= 8) {
        std::memcpy(dst, src, 8);
    } else if (n <= 16) {
        std::memcpy(dst, src, 16);
    } else {
        std::memcpy(dst, src, n);
    }
}

/// Instructions one path may run before we call it non-terminating (loops in atomic blocks).
constexpr std::uint64_t max_path_instructions = 10'000'000;
}  // namespace

Interpreter::Interpreter(const TransitionSystem& ts)
    : ts_(ts), bytes_(ts.layout().bytes()), state_(ts.state_buffer_size()), stack_(1024) {
    const auto slots = ts.layout().slots();
    slot_at_bit_.assign(ts.layout().bits() + 1, UINT32_MAX);
    // A slot of width 0 (one value) shares its offset with the next slot; that one wins, which
    // only over-approximates what a recorded access touched (a constant slot never changes).
    for (std::uint32_t i = 0; i < slots.size(); ++i)
        if (slots[i].width == 0) slot_at_bit_[slots[i].bit_offset] = i;
    for (std::uint32_t i = 0; i < slots.size(); ++i)
        if (slots[i].width > 0) slot_at_bit_[slots[i].bit_offset] = i;
}

EvalResult Interpreter::eval(const Program& p, const std::uint8_t* s) {
    return exec<false>(p, s, nullptr, nullptr);
}

void Interpreter::run(const Program& p, const std::uint8_t* s, EmitFn fn, void* ctx) {
    exec<true>(p, s, fn, ctx);
}

// One loop for both program kinds, so every opcode is defined once. Expression programs
// (Frag = false: invariant checks, metrics) read `s` in place, use their own stack (eval runs
// from inside fire()'s callbacks) and return their value at `halt`; a runtime error returns it.
// Fragments (Frag = true) work on a copy of `s`, fork paths, and emit successors and reports;
// a runtime error reports and ends the path. The statement opcodes compile only into fragments.
template <bool Frag, bool Record>
EvalResult Interpreter::exec(const Program& p, const std::uint8_t* s, EmitFn fn, void* ctx) {
    const std::size_t bytes = bytes_;
    std::vector<std::int64_t>& stack = Frag ? stack_ : eval_stack_;
    if (stack.size() < p.max_stack + 8) stack.resize(p.max_stack + 8);
    std::int64_t* st = stack.data();
    std::uint32_t sp = 0;
    std::uint32_t ip = 0;
    std::uint32_t stmt = UINT32_MAX;
    std::uint32_t last_stmt = UINT32_MAX;  // the latest note on the path (Emission::at_stmt)
    std::int32_t chose_bit = -1;           // Emission::chose_bit
    std::uint32_t emitted = 0;
    std::uint64_t budget = max_path_instructions;
    const BInstr* code = p.code.data();
    std::conditional_t<Frag, std::uint8_t*, const std::uint8_t*> cur;
    if constexpr (!Frag) {
        cur = s;
    } else {
        cur = state_.data();
        copy_state(cur, s, bytes);
        pending_.clear();
        saved_states_.clear();
        saved_stacks_.clear();
    }

    auto report = [&](PropertyId prop, std::uint32_t msg, std::int64_t value, bool stops) {
        Emission e;
        e.index = emitted++;
        e.prop = prop;
        e.message = msg;
        e.value = value;
        e.stmt = stmt;
        e.stops = stops;
        e.at = cur;
        e.at_stmt = last_stmt;
        e.chose_bit = chose_bit;
        fn(ctx, e);
    };

    // Ends the current path; returns false when no pending path is left.
    auto next_path = [&]() -> bool {
        if constexpr (Frag) {
            if (pending_.empty()) return false;
            const Pending pd = pending_.back();
            pending_.pop_back();
            std::memcpy(cur, saved_states_.data() + pd.state_at, bytes);  // saved copies have no slack
            saved_states_.resize(pd.state_at);
            if (pd.stack_size != 0)  // an empty vector's data() may be null
                std::memcpy(st, saved_stacks_.data() + pd.stack_at, pd.stack_size * sizeof(std::int64_t));
            saved_stacks_.resize(pd.stack_at);
            sp = pd.stack_size;
            ip = pd.ip;
            stmt = pd.stmt;
            last_stmt = pd.last_stmt;
            chose_bit = pd.store_off >= 0 ? pd.store_off : pd.chose_bit;
            if (pd.store_off >= 0)
                store_bits(cur, static_cast<std::uint32_t>(pd.store_off), pd.store_width,
                           static_cast<std::uint64_t>(pd.push_value - pd.store_lo));
            if (pd.push) st[sp++] = pd.push_value;
            if constexpr (Record) {
                if (locks_) locks_->resize(pd.locks_at);
            }
            budget = max_path_instructions;
            return true;
        }
        return false;
    };

    // Saves alternatives in reverse so they pop in order.
    auto save = [&](std::uint32_t at_ip, std::int64_t value, bool push, std::int32_t store_off,
                    std::uint8_t store_width, std::int32_t store_lo) {
        Pending pd{};
        pd.ip = at_ip;
        pd.stack_size = sp;
        pd.stmt = stmt;
        pd.last_stmt = last_stmt;
        pd.chose_bit = chose_bit;
        pd.state_at = saved_states_.size();
        if constexpr (Record) pd.locks_at = locks_ ? locks_->size() : 0;
        saved_states_.insert(saved_states_.end(), cur, cur + bytes);
        pd.stack_at = saved_stacks_.size();
        saved_stacks_.insert(saved_stacks_.end(), st, st + sp);
        pd.push_value = value;
        pd.push = push;
        pd.store_off = store_off;
        pd.store_width = store_width;
        pd.store_lo = store_lo;
        pending_.push_back(pd);
    };

    // Recording (fire_recorded): the slot a bit offset names, read and/or written.
    [[maybe_unused]] auto read_bit = [&](std::uint32_t bit) { mark(access_->reads, slot_at_bit_[bit]); };
    [[maybe_unused]] auto write_bit = [&](std::uint32_t bit) { mark(access_->writes, slot_at_bit_[bit]); };
    [[maybe_unused]] auto touch_bit = [&](std::uint32_t bit) {
        mark(access_->reads, slot_at_bit_[bit]);
        mark(access_->writes, slot_at_bit_[bit]);
    };

// A runtime error (index or value out of range, division by zero) with message MSG about
// VALUE: an expression returns it; a fragment reports it and continues with the next path.
#define IOMC_RUNTIME_ERROR(MSG, VALUE)                                                  \
    {                                                                                   \
        if constexpr (Frag) {                                                           \
            report(prop_runtime_error, static_cast<std::uint32_t>(MSG), (VALUE), true); \
            if (!next_path()) return {};                                                \
            continue;                                                                   \
        } else {                                                                        \
            return EvalResult{false, 0, static_cast<std::uint32_t>(MSG), (VALUE)};      \
        }                                                                               \
    }
// Binary operators on the two top stack entries, and with an immediate right operand.
#define IOMC_BIN(OP, EXPR)                 \
    case Bc::OP: {                         \
        const std::int64_t b = st[--sp];   \
        const std::int64_t a = st[sp - 1]; \
        st[sp - 1] = (EXPR);               \
        break;                             \
    }
#define IOMC_BIN_I(OP, EXPR)               \
    case Bc::OP: {                         \
        const std::int64_t b = in.a;       \
        const std::int64_t a = st[sp - 1]; \
        st[sp - 1] = (EXPR);               \
        break;                             \
    }

// Opens a statement opcode's body: fragments only; an expression program never has one.
#define IOMC_FRAGMENT_ONLY \
    if constexpr (!Frag) IOMC_UNREACHABLE("statement bytecode in an expression program"); else

    for (;;) {
        if constexpr (Frag) {
            if (--budget == 0) [[unlikely]]
                IOMC_RUNTIME_ERROR(0, static_cast<std::int64_t>(max_path_instructions))
        }
        const BInstr& in = code[ip++];
        switch (in.op) {
            // Expressions.
            case Bc::push: st[sp++] = in.a; break;
            case Bc::load:
                if constexpr (Record) read_bit(static_cast<std::uint32_t>(in.a));
                st[sp++] = static_cast<std::int64_t>(load_bits(cur, static_cast<std::uint32_t>(in.a), in.w)) + in.b;
                break;
            case Bc::index: {
                const std::int64_t i = st[--sp];
                if (i < 0 || i >= in.a) [[unlikely]]
                    IOMC_RUNTIME_ERROR(i == -1 && in.c ? in.c - 1 : in.d, i)
                st[sp - 1] += i * in.b;
                break;
            }
            case Bc::load_at:
                if constexpr (Record) read_bit(static_cast<std::uint32_t>(st[sp - 1]));
                st[sp - 1] = static_cast<std::int64_t>(load_bits(cur, static_cast<std::uint32_t>(st[sp - 1]), in.w)) + in.b;
                break;
            case Bc::neg: st[sp - 1] = -st[sp - 1]; break;
            case Bc::not_: st[sp - 1] = st[sp - 1] == 0; break;
            IOMC_BIN(add, a + b)
            IOMC_BIN(sub, a - b)
            IOMC_BIN(mul, a * b)
            IOMC_BIN(eq, a == b)
            IOMC_BIN(ne, a != b)
            IOMC_BIN(lt, a < b)
            IOMC_BIN(le, a <= b)
            IOMC_BIN(gt, a > b)
            IOMC_BIN(ge, a >= b)
            IOMC_BIN_I(add_i, a + b)
            IOMC_BIN_I(sub_i, a - b)
            IOMC_BIN_I(mul_i, a * b)
            IOMC_BIN_I(div_i, a / b)
            IOMC_BIN_I(mod_i, a % b)
            IOMC_BIN_I(eq_i, a == b)
            IOMC_BIN_I(ne_i, a != b)
            IOMC_BIN_I(lt_i, a < b)
            IOMC_BIN_I(le_i, a <= b)
            IOMC_BIN_I(gt_i, a > b)
            IOMC_BIN_I(ge_i, a >= b)
            case Bc::div:
            case Bc::mod: {
                const std::int64_t b = st[--sp];
                if (b == 0) [[unlikely]]
                    IOMC_RUNTIME_ERROR(in.a, 0)
                st[sp - 1] = in.op == Bc::div ? st[sp - 1] / b : st[sp - 1] % b;
                break;
            }
            case Bc::jmp: ip = static_cast<std::uint32_t>(in.a); break;
            case Bc::jz: if (st[--sp] == 0) ip = static_cast<std::uint32_t>(in.a); break;
            case Bc::jnz: if (st[--sp] != 0) ip = static_cast<std::uint32_t>(in.a); break;
            case Bc::in_set: {
                const auto v = static_cast<std::uint64_t>(st[sp - 1]);
                const auto& set = p.sets[static_cast<std::size_t>(in.a)];
                st[sp - 1] = v / 64 < set.size() ? static_cast<std::int64_t>(set[v / 64] >> (v % 64) & 1U) : 0;
                break;
            }
            case Bc::halt:
                if constexpr (Frag) IOMC_UNREACHABLE("halt in a fragment");
                else return EvalResult{true, st[sp - 1], 0, 0};
            // Statements: they compile only into fragments.
            case Bc::store:
                IOMC_FRAGMENT_ONLY {
                    const std::int64_t v = st[--sp];
                    if constexpr (Record) write_bit(static_cast<std::uint32_t>(in.a));
                    if (v < in.b || v > in.c) [[unlikely]]
                        IOMC_RUNTIME_ERROR(in.d, v)
                    store_bits(cur, static_cast<std::uint32_t>(in.a), in.w, static_cast<std::uint64_t>(v - in.b));
                }
                break;
            case Bc::store_at:
                IOMC_FRAGMENT_ONLY {
                    const auto off = static_cast<std::uint32_t>(st[--sp]);
                    const std::int64_t v = st[--sp];
                    if constexpr (Record) write_bit(off);
                    if (v < in.b || v > in.c) [[unlikely]]
                        IOMC_RUNTIME_ERROR(in.d, v)
                    store_bits(cur, off, in.w, static_cast<std::uint64_t>(v - in.b));
                }
                break;
            case Bc::guard:
                IOMC_FRAGMENT_ONLY {
                    if (st[--sp] == 0 && !next_path()) return {};
                }
                break;
            case Bc::fork:
                IOMC_FRAGMENT_ONLY {
                    const auto& targets = p.fork_tables[static_cast<std::size_t>(in.a)];
                    for (std::size_t k = targets.size(); k-- > 1;) save(targets[k], 0, false, -1, 0, 0);
                    ip = targets[0];
                }
                break;
            case Bc::choose:
                IOMC_FRAGMENT_ONLY {
                    const auto off = static_cast<std::int32_t>(st[--sp]);
                    if constexpr (Record) write_bit(static_cast<std::uint32_t>(off));
                    for (std::int64_t v = in.c; v > in.b; --v) save(ip, v, false, off, in.w, in.b);
                    store_bits(cur, static_cast<std::uint32_t>(off), in.w, 0);
                    chose_bit = off;
                }
                break;
            case Bc::check:
                IOMC_FRAGMENT_ONLY {
                    if (st[--sp] != 0) {
                        report(PropertyId{static_cast<std::uint32_t>(in.a)}, static_cast<std::uint32_t>(in.b), 0,
                               in.w != 0);
                        if (in.w != 0 && !next_path()) return {};
                    }
                }
                break;
            case Bc::lock:
                IOMC_FRAGMENT_ONLY {
                    const auto off = static_cast<std::uint32_t>(st[--sp]);
                    if constexpr (Record) touch_bit(off);
                    const std::int64_t owner = static_cast<std::int64_t>(load_bits(cur, off, in.w)) + in.b;
                    if (owner == in.a) {
                        // Recursive lock: the kernel would hang here; report and end the path.
                        report(prop_mutex, static_cast<std::uint32_t>(in.d), 0, true);
                        if (!next_path()) return {};
                    } else if (owner != -1) {
                        if (!next_path()) return {};  // blocks while another process holds it
                    } else {
                        store_bits(cur, off, in.w, static_cast<std::uint64_t>(in.a - in.b));
                        if constexpr (Record) {
                            if (locks_)
                                locks_->push_back({SlotId{slot_at_bit_[off]}, static_cast<std::uint8_t>(in.c), false, last_stmt});
                        }
                    }
                }
                break;
            case Bc::unlock:
                IOMC_FRAGMENT_ONLY {
                    const auto off = static_cast<std::uint32_t>(st[--sp]);
                    if constexpr (Record) touch_bit(off);
                    const std::int64_t owner = static_cast<std::int64_t>(load_bits(cur, off, in.w)) + in.b;
                    if (owner != in.a) report(prop_mutex, static_cast<std::uint32_t>(in.d), 0, false);
                    store_bits(cur, off, in.w, static_cast<std::uint64_t>(-1 - in.b));
                    if constexpr (Record) {
                        if (locks_) locks_->push_back({SlotId{slot_at_bit_[off]}, 0, true, last_stmt});
                    }
                }
                break;
            case Bc::kref_init:
                IOMC_FRAGMENT_ONLY {
                    const auto off = static_cast<std::uint32_t>(st[--sp]);
                    if constexpr (Record) touch_bit(off);
                    store_bits(cur, off, in.w, static_cast<std::uint64_t>(1 - in.b));
                }
                break;
            case Bc::kref_get:
                IOMC_FRAGMENT_ONLY {
                    const auto off = static_cast<std::uint32_t>(st[--sp]);
                    if constexpr (Record) touch_bit(off);
                    const std::int64_t v = static_cast<std::int64_t>(load_bits(cur, off, in.w)) + in.b;
                    if (v == 0) report(prop_kref, static_cast<std::uint32_t>(in.d), 0, false);
                    if (v + 1 > in.c) [[unlikely]]
                        IOMC_RUNTIME_ERROR(in.a, v + 1)
                    store_bits(cur, off, in.w, static_cast<std::uint64_t>(v + 1 - in.b));
                }
                break;
            case Bc::kref_put:
                IOMC_FRAGMENT_ONLY {
                    const auto off = static_cast<std::uint32_t>(st[--sp]);
                    if constexpr (Record) touch_bit(off);
                    const std::int64_t v = static_cast<std::int64_t>(load_bits(cur, off, in.w)) + in.b;
                    if (v == 0) {
                        // Underflow: report; the count stays at zero (refcount_t saturates).
                        report(prop_kref, static_cast<std::uint32_t>(in.d), 0, false);
                        st[sp++] = 0;
                    } else {
                        store_bits(cur, off, in.w, static_cast<std::uint64_t>(v - 1 - in.b));
                        st[sp++] = v == 1;
                    }
                }
                break;
            case Bc::pop: IOMC_FRAGMENT_ONLY { --sp; } break;
            case Bc::note:
                IOMC_FRAGMENT_ONLY {
                    if (stmt == UINT32_MAX) stmt = static_cast<std::uint32_t>(in.a);
                    last_stmt = static_cast<std::uint32_t>(in.a);
                }
                break;
            case Bc::finish:
                IOMC_FRAGMENT_ONLY {
                    if constexpr (Record) write_bit(static_cast<std::uint32_t>(in.a));
                    store_bits(cur, static_cast<std::uint32_t>(in.a), in.w, static_cast<std::uint64_t>(in.b));
                    Emission e;
                    e.index = emitted++;
                    e.next = cur;
                    e.stmt = stmt;
                    e.chose_bit = chose_bit;
                    fn(ctx, e);
                    if (!next_path()) return {};
                }
                break;
        }
    }
#undef IOMC_RUNTIME_ERROR
#undef IOMC_BIN
#undef IOMC_BIN_I
#undef IOMC_FRAGMENT_ONLY
}

// fire_recorded() is a template in the header; its loop is instantiated here.
template EvalResult Interpreter::exec<true, true>(const Program&, const std::uint8_t*, EmitFn, void*);

}  // namespace iomc::ir
