// SPDX-License-Identifier: MIT
#include "checker/ir/state_layout.hpp"

#include <cstring>

#include <fmt/format.h>

#include "checker/support/check.hpp"

namespace iomc::ir {

std::uint8_t bits_for(std::uint64_t range) {
    std::uint8_t b = 0;
    while (b < 64 && (range >> b) != 0) ++b;
    return b;
}

SlotId StateLayout::add(Slot s) {
    IOMC_CHECK(s.hi >= s.lo);
    s.width = bits_for(static_cast<std::uint64_t>(static_cast<std::int64_t>(s.hi) - s.lo));
    IOMC_CHECK(s.width <= 32);
    slots_.push_back(std::move(s));
    return SlotId{static_cast<std::uint32_t>(slots_.size() - 1)};
}

void StateLayout::finish() {
    std::uint32_t off = 0;
    for (auto& s : slots_) {
        s.bit_offset = off;
        off += s.width;
    }
    bits_ = off;
    bytes_ = (off + 7) / 8;
    if (bytes_ == 0) bytes_ = 1;
}

void StateLayout::pack(const std::int64_t* vals, std::uint8_t* s) const {
    // Slots lie in insertion order, end to end (finish()).
    std::uint64_t acc = 0;
    std::uint32_t n = 0;  // bits in acc, always < 64
    std::uint8_t* out = s;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        const Slot& sl = slots_[i];
        if (sl.width == 0) continue;
        const std::uint64_t mask = sl.width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << sl.width) - 1U;
        const std::uint64_t v = static_cast<std::uint64_t>(vals[i] - sl.lo) & mask;
        acc |= v << n;
        if (n + sl.width >= 64) {
            std::memcpy(out, &acc, sizeof acc);
            out += sizeof acc;
            acc = n == 0 ? 0 : v >> (64 - n);
            n = n + sl.width - 64;
        } else {
            n += sl.width;
        }
    }
    std::memcpy(out, &acc, (n + 7) / 8);
}

std::string StateLayout::format(SlotId id, std::int64_t v) const {
    const Slot& s = slot(id);
    switch (s.kind) {
        case ValueKind::boolean: return v ? "true" : "false";
        case ValueKind::enumeration:
            if (v < 0) return "none";
            if (s.type_index < enum_names.size() && static_cast<std::size_t>(v) < enum_names[s.type_index].size())
                return enum_names[s.type_index][static_cast<std::size_t>(v)];
            return fmt::format("{}", v);
        case ValueKind::scalarset:
            if (v < 0) return "none";
            return fmt::format("{}", v);
        case ValueKind::mutex:
            if (v < 0) return "free";
            if (static_cast<std::size_t>(v) < process_names.size())
                return fmt::format("held by {}", process_names[static_cast<std::size_t>(v)]);
            return fmt::format("held by #{}", v);
        case ValueKind::integer:
        case ValueKind::kref:
        case ValueKind::pc:
            return fmt::format("{}", v);
    }
    return fmt::format("{}", v);
}

}  // namespace iomc::ir
