// SPDX-License-Identifier: MIT
#include "checker/explore/compact_store.hpp"

#include <bit>
#include <cmath>
#include <cstring>

#include "checker/support/check.hpp"
#include "checker/support/hash.hpp"

namespace iomc::explore {

const char* to_string(StorageKind k) {
    switch (k) {
        case StorageKind::exact: return "exact";
        case StorageKind::compact: return "compact";
        case StorageKind::hash: return "hash";
    }
    return "exact";
}

namespace {

constexpr double max_load = 0.85;
constexpr std::uint64_t first_capacity = 1031;  // a prime

bool is_prime(std::uint64_t n) {
    if (n < 2) return false;
    for (std::uint64_t d = 2; d * d <= n; ++d)
        if (n % d == 0) return false;
    return true;
}

std::uint64_t prime_at_least(std::uint64_t n) {
    while (!is_prime(n)) ++n;
    return n;
}

std::uint64_t mask_of(unsigned bits) { return bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1; }

/// Reads `n` <= 64 bits at bit `at` of `w` (the array has one spare word at its end).
std::uint64_t get_bits(const std::vector<std::uint64_t>& w, std::uint64_t at, unsigned n) {
    if (n == 0) return 0;
    const std::uint64_t word = at / 64;
    const unsigned off = static_cast<unsigned>(at % 64);
    std::uint64_t v = w[word] >> off;
    if (off != 0 && off + n > 64) v |= w[word + 1] << (64 - off);
    return v & mask_of(n);
}

void set_bits(std::vector<std::uint64_t>& w, std::uint64_t at, unsigned n, std::uint64_t v) {
    if (n == 0) return;
    const std::uint64_t word = at / 64;
    const unsigned off = static_cast<unsigned>(at % 64);
    const std::uint64_t m = mask_of(n);
    v &= m;
    w[word] = (w[word] & ~(m << off)) | (v << off);
    if (off != 0 && off + n > 64) {
        const unsigned rest = off + n - 64;
        const std::uint64_t m2 = mask_of(rest);
        w[word + 1] = (w[word + 1] & ~m2) | (v >> (64 - off));
    }
}

}  // namespace

/// An inner node of the state tree: its (left, right) child codes, interned with dense ids.
struct CompactStore::NodeTable {
    std::vector<std::uint64_t> keys;     ///< by id
    std::vector<std::uint32_t> index;    ///< open addressing: 0 empty, else id + 1
    std::uint64_t bytes = 0;
    NodeTable() : index(64, 0) {}
    /// The id of `key`, added if new; nothing when the budget refuses the growth.
    std::optional<std::uint32_t> intern(std::uint64_t key, MemoryBudget& budget) {
        const std::size_t mask = index.size() - 1;
        std::size_t pos = support::mix64(key) & mask;
        for (; index[pos] != 0; pos = (pos + 1) & mask)
            if (keys[index[pos] - 1] == key) return index[pos] - 1;
        if ((keys.size() + 1) * 4 >= index.size() * 3) {
            const std::uint64_t need = index.size() * 2 * 4 + keys.capacity() * 8;
            if (!budget.reserve(need)) return std::nullopt;
            budget.release(need);
            std::vector<std::uint32_t> bigger(index.size() * 2, 0);
            for (std::uint32_t id = 0; id < keys.size(); ++id) {
                std::size_t p = support::mix64(keys[id]) & (bigger.size() - 1);
                while (bigger[p] != 0) p = (p + 1) & (bigger.size() - 1);
                bigger[p] = id + 1;
            }
            index.swap(bigger);
            return intern(key, budget);
        }
        const auto id = static_cast<std::uint32_t>(keys.size());
        keys.push_back(key);
        index[pos] = id + 1;
        const std::uint64_t now = keys.capacity() * 8 + index.size() * 4;
        if (now > bytes) budget.add(now - bytes);
        bytes = now;
        return id;
    }
};

CompactStore::CompactStore(std::size_t state_bytes, StorageKind kind, MemoryBudget& budget, std::uint64_t max_states)
    : bytes_(state_bytes), kind_(kind), budget_(budget), max_states_(max_states), buf_(state_bytes + 8, 0) {
    IOMC_CHECK(kind != StorageKind::exact);
    if (kind == StorageKind::hash || bytes_ <= 8) {
        lo_bits_ = kind == StorageKind::hash ? 64 : static_cast<unsigned>(bytes_ * 8);
    } else {
        words_ = (bytes_ + 3) / 4;
        // Node 0 is the root; children are split off depth first, each half as even as can be.
        tree_.push_back(TreeNode{0, static_cast<std::uint32_t>(words_)});
        std::vector<std::uint32_t> stack{0};
        while (!stack.empty()) {
            const auto n = stack.back();
            stack.pop_back();
            const auto first = tree_[n].first, last = tree_[n].last;
            if (last - first == 1) continue;
            const std::uint32_t mid = first + (last - first + 1) / 2;
            tree_[n].left = static_cast<std::int32_t>(tree_.size());
            tree_.push_back(TreeNode{first, mid});
            tree_[n].right = static_cast<std::int32_t>(tree_.size());
            tree_.push_back(TreeNode{mid, last});
            stack.push_back(static_cast<std::uint32_t>(tree_[n].left));
            stack.push_back(static_cast<std::uint32_t>(tree_[n].right));
        }
        for (std::size_t n = 1; n < tree_.size(); ++n)
            if (tree_[n].left >= 0) {
                tree_[n].table = static_cast<std::int32_t>(nodes_.size());
                nodes_.push_back(std::make_unique<NodeTable>());
            }
        // Children before parents: reverse creation order works, as children are made after
        // their parent.
        for (std::size_t n = tree_.size(); n-- > 1;) post_order_.push_back(static_cast<std::uint32_t>(n));
        codes_.assign(tree_.size(), 0);
        const auto child_bits = [&](std::int32_t c) { return tree_[static_cast<std::size_t>(c)].left < 0 ? 32U : 8U; };
        hi_bits_ = child_bits(tree_[0].left);
        lo_bits_ = child_bits(tree_[0].right);
    }
    capacity_ = first_capacity;
    parent_bits_ = static_cast<unsigned>(std::bit_width(capacity_));
    bits_.assign((capacity_ * width() + 63) / 64 + 1, 0);
    table_bytes_ = bits_.size() * 8;
    budget_.add(table_bytes_);
}

CompactStore::~CompactStore() {
    budget_.release(table_bytes_ + (this_level_.size() + next_level_.size()) * level_entry_bytes());
    for (const auto& t : nodes_) budget_.release(t->bytes);
}

std::uint64_t CompactStore::code_hash(std::uint64_t hi, std::uint64_t lo) const {
    return support::mix64(lo ^ support::mix64(hi + 0x9e3779b97f4a7c15ULL));
}

std::uint64_t CompactStore::fingerprint_of(const std::uint8_t* s) const {
    // A hash independent of the one the table probes with (that one is mixed again).
    return support::hash_bytes(s, bytes_) ^ 0x5851f42d4c957f2dULL;
}

void CompactStore::encode(const std::uint8_t* s, std::uint64_t& hi, std::uint64_t& lo) {
    hi = 0;
    lo = 0;
    if (kind_ == StorageKind::hash) {
        lo = fingerprint_of(s);
        return;
    }
    if (words_ == 0) {
        std::memcpy(&lo, s, bytes_);
        return;
    }
    std::memcpy(buf_.data(), s, bytes_);
    std::memset(buf_.data() + bytes_, 0, buf_.size() - bytes_);
    for (const auto n : post_order_) {
        const TreeNode& t = tree_[n];
        if (t.left < 0) {
            std::uint32_t w;
            std::memcpy(&w, buf_.data() + std::size_t{t.first} * 4, 4);
            codes_[n] = w;
            continue;
        }
        const std::uint64_t key = codes_[static_cast<std::size_t>(t.left)] << 32 | codes_[static_cast<std::size_t>(t.right)];
        const auto id = nodes_[static_cast<std::size_t>(t.table)]->intern(key, budget_);
        if (!id) {
            hi = lo = ~std::uint64_t{0};  // refused: the caller reports it
            return;
        }
        codes_[n] = *id;
    }
    hi = codes_[static_cast<std::size_t>(tree_[0].left)];
    lo = codes_[static_cast<std::size_t>(tree_[0].right)];
}

void CompactStore::decode(std::uint64_t hi, std::uint64_t lo, std::uint8_t* out) {
    // `out` has bytes_ + 8 bytes: room for every word, the last one's spill included.
    std::memset(out, 0, bytes_ + 8);
    if (words_ == 0) {
        std::memcpy(out, &lo, bytes_);
        return;
    }
    codes_[static_cast<std::size_t>(tree_[0].left)] = hi;
    codes_[static_cast<std::size_t>(tree_[0].right)] = lo;
    for (std::size_t k = post_order_.size(); k-- > 0;) {  // parents before children
        const auto n = post_order_[k];
        const TreeNode& t = tree_[n];
        if (t.left < 0) {
            const auto w = static_cast<std::uint32_t>(codes_[n]);
            std::memcpy(out + std::size_t{t.first} * 4, &w, 4);
            continue;
        }
        const std::uint64_t key = nodes_[static_cast<std::size_t>(t.table)]->keys[codes_[n]];
        codes_[static_cast<std::size_t>(t.left)] = key >> 32;
        codes_[static_cast<std::size_t>(t.right)] = key & 0xFFFFFFFFULL;
    }
    std::memset(out + bytes_, 0, 8);
}

bool CompactStore::occupied(std::uint64_t i) const { return get_bits(bits_, i * width(), 1) != 0; }

CompactStore::Slot CompactStore::read(std::uint64_t i) const { return read_slot(bits_, i, hi_bits_, lo_bits_, parent_bits_); }

CompactStore::Slot CompactStore::read_slot(const std::vector<std::uint64_t>& w, std::uint64_t i, unsigned hi_bits,
                                           unsigned lo_bits, unsigned parent_bits) {
    const std::uint64_t at = i * (hi_bits + lo_bits + parent_bits + 2);
    Slot s;
    s.level = get_bits(w, at + 1, 1) != 0;
    const std::uint64_t p = get_bits(w, at + 2, parent_bits);
    s.parent = p == mask_of(parent_bits) ? none : static_cast<Ref>(p);
    s.code_lo = get_bits(w, at + 2 + parent_bits, lo_bits);
    s.code_hi = get_bits(w, at + 2 + parent_bits + lo_bits, hi_bits);
    return s;
}

void CompactStore::write(std::uint64_t i, const Slot& s) {
    const std::uint64_t at = i * width();
    set_bits(bits_, at, 1, 1);
    set_bits(bits_, at + 1, 1, s.level ? 1 : 0);
    set_bits(bits_, at + 2, parent_bits_, s.parent == none ? mask_of(parent_bits_) : s.parent);
    set_bits(bits_, at + 2 + parent_bits_, lo_bits_, s.code_lo);
    set_bits(bits_, at + 2 + parent_bits_ + lo_bits_, hi_bits_, s.code_hi);
}

std::pair<std::uint64_t, bool> CompactStore::probe(std::uint64_t hi, std::uint64_t lo, std::uint64_t hash) const {
    // Linear probing: entries never move, and the next slot is usually in the same cache line.
    std::uint64_t i = hash % capacity_;
    const unsigned w = width();
    for (;;) {
        const std::uint64_t at = i * w;
        if (get_bits(bits_, at, 1) == 0) return {i, false};
        if (get_bits(bits_, at + 2 + parent_bits_, lo_bits_) == lo &&
            get_bits(bits_, at + 2 + parent_bits_ + lo_bits_, hi_bits_) == hi)
            return {i, true};
        if (++i == capacity_) i = 0;
    }
}

std::optional<CompactStore::Ref> CompactStore::find(const std::uint8_t* s) {
    std::uint64_t hi, lo;
    encode(s, hi, lo);
    if ((hi & ~mask_of(hi_bits_)) != 0 || (lo & ~mask_of(lo_bits_)) != 0) return std::nullopt;  // wider than any stored
    const auto [i, found] = probe(hi, lo, code_hash(hi, lo));
    if (!found) return std::nullopt;
    return static_cast<Ref>(i);
}

CompactStore::Insert CompactStore::insert(const std::uint8_t* s, Ref parent) {
    Insert out;
    std::uint64_t hi, lo;
    encode(s, hi, lo);
    if (hi == ~std::uint64_t{0} && lo == ~std::uint64_t{0} && words_ != 0) {
        out.refused = true;
        return out;
    }
    // A child table outgrew the width of its ids: repack every slot, wider.
    const unsigned need_hi = std::max<unsigned>(hi_bits_, static_cast<unsigned>(std::bit_width(hi)));
    const unsigned need_lo = std::max<unsigned>(lo_bits_, static_cast<unsigned>(std::bit_width(lo)));
    if (need_hi > hi_bits_ || need_lo > lo_bits_) {
        if (!grow(capacity_, need_hi + 2, need_lo + 2)) {
            out.refused = true;
            return out;
        }
    }
    const std::uint64_t h = code_hash(hi, lo);
    auto [i, found] = probe(hi, lo, h);
    if (found) {
        out.ref = static_cast<Ref>(i);
        return out;
    }
    if (max_states_ && count_ >= max_states_) {
        out.over_limit = true;
        return out;
    }
    if (count_ + 2 >= UINT32_MAX - 1) {
        out.full = true;
        return out;
    }
    if (static_cast<double>(count_ + 1) > max_load * static_cast<double>(capacity_)) {
        // Grow first; the parent's slot moves with the others.
        std::vector<Ref> moved;
        auto keep = on_move;
        on_move = [&](const std::vector<Ref>& map) {
            moved = map;
            if (keep) keep(map);
        };
        const bool ok = grow(prime_at_least(capacity_ + capacity_ / 5), hi_bits_, lo_bits_);
        on_move = keep;
        if (!ok) {
            out.refused = true;
            return out;
        }
        if (parent != none) parent = moved[parent];
        std::tie(i, found) = probe(hi, lo, h);
    }
    write(i, Slot{hi, lo, parent, true});
    ++count_;
    out.ref = static_cast<Ref>(i);
    out.fresh = true;
    if (kind_ == StorageKind::hash) {
        next_level_[out.ref].assign(s, s + bytes_ + 8);
        budget_.add(level_entry_bytes());
    }
    return out;
}

bool CompactStore::grow(std::uint64_t new_capacity, unsigned new_hi_bits, unsigned new_lo_bits) {
    const unsigned new_parent_bits = static_cast<unsigned>(std::bit_width(new_capacity));
    const unsigned new_width = new_hi_bits + new_lo_bits + new_parent_bits + 2;
    const std::uint64_t new_bytes = ((new_capacity * new_width + 63) / 64 + 1) * 8;
    const bool moves = new_capacity != capacity_;
    const std::uint64_t map_bytes = moves ? capacity_ * sizeof(Ref) : 0;
    // Old table, new table and the old-to-new map live together for a moment.
    if (!budget_.reserve(new_bytes + map_bytes)) return false;
    std::vector<std::uint64_t> old;
    old.swap(bits_);
    const std::uint64_t old_capacity = capacity_;
    const unsigned old_hi = hi_bits_, old_lo = lo_bits_, old_parent = parent_bits_;
    const std::uint64_t old_width = old_hi + old_lo + old_parent + 2;
    capacity_ = new_capacity;
    hi_bits_ = new_hi_bits;
    lo_bits_ = new_lo_bits;
    parent_bits_ = new_parent_bits;
    bits_.assign(new_bytes / 8, 0);
    std::vector<Ref> map;
    if (moves) map.assign(old_capacity, none);
    for (std::uint64_t i = 0; i < old_capacity; ++i) {
        if (get_bits(old, i * old_width, 1) == 0) continue;
        const Slot s = read_slot(old, i, old_hi, old_lo, old_parent);
        if (!moves) {
            write(i, s);  // a repack: same place, wider fields
            continue;
        }
        const auto [at, found] = probe(s.code_hi, s.code_lo, code_hash(s.code_hi, s.code_lo));
        IOMC_CHECK(!found);
        map[i] = static_cast<Ref>(at);
        write(at, s);  // its parent is still an old slot
    }
    old = {};
    if (moves) {
        for (std::uint64_t i = 0; i < capacity_; ++i) {
            if (!occupied(i)) continue;
            Slot s = read(i);
            if (s.parent == none) continue;
            s.parent = map[s.parent];
            write(i, s);
        }
        if (kind_ == StorageKind::hash) {
            for (auto* level : {&this_level_, &next_level_}) {
                std::unordered_map<Ref, std::vector<std::uint8_t>> moved;
                for (auto& [r, st] : *level) moved.emplace(map[r], std::move(st));
                level->swap(moved);
            }
        }
        if (on_move) on_move(map);
    }
    budget_.release(table_bytes_ + map_bytes);
    table_bytes_ = new_bytes;
    return true;
}

const std::uint8_t* CompactStore::get(Ref r) {
    if (kind_ == StorageKind::hash) {
        auto it = this_level_.find(r);
        if (it == this_level_.end()) it = next_level_.find(r);
        IOMC_CHECK(it != next_level_.end());
        return it->second.data();
    }
    const Slot s = read(r);
    decode(s.code_hi, s.code_lo, buf_.data());
    return buf_.data();
}

CompactStore::Ref CompactStore::parent(Ref r) const { return read(r).parent; }

bool CompactStore::earlier_level(Ref r) const { return get_bits(bits_, std::uint64_t{r} * width() + 1, 1) == 0; }

void CompactStore::set_level_bit(Ref r, bool v) { set_bits(bits_, std::uint64_t{r} * width() + 1, 1, v ? 1 : 0); }

void CompactStore::rotate_levels() {
    budget_.release(this_level_.size() * level_entry_bytes());
    this_level_.swap(next_level_);
    next_level_.clear();
}

std::uint64_t CompactStore::memory_bytes() const {
    std::uint64_t n = table_bytes_;
    for (const auto& t : nodes_) n += t->bytes;
    for (const auto* level : {&this_level_, &next_level_}) n += level->size() * level_entry_bytes();
    return n;
}

double CompactStore::omission_probability() const {
    if (kind_ != StorageKind::hash) return 0;
    const auto n = static_cast<double>(count_);
    return std::min(1.0, n * (n - 1) / std::ldexp(1.0, 65));
}

}  // namespace iomc::explore
