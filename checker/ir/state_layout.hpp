// SPDX-License-Identifier: MIT
/// @file The packed, fixed-size state vector: every slot's bit offset, width and domain.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "checker/ir/ids.hpp"

namespace iomc::ir {

/// What a slot's value means, for printing and for the reductions.
enum class ValueKind : std::uint8_t { boolean, integer, enumeration, scalarset, mutex, kref, pc };

/// One scalar in the state vector. Values are stored as (value - lo) in `width` bits.
struct Slot {
    std::string name;          ///< "dev[1].iommu_group", "client(0).ret", "client(0).pc"
    ValueKind kind = ValueKind::integer;
    std::int32_t lo = 0;       ///< smallest value; -1 encodes `none` for optional types
    std::int32_t hi = 0;       ///< largest value
    std::uint32_t bit_offset = 0;
    std::uint8_t width = 0;
    std::uint32_t type_index = 0;  ///< enum names table (enumeration), scalarset table (scalarset)
    std::uint32_t process = UINT32_MAX;  ///< owning process instance for locals and pcs
    std::int32_t init = 0;     ///< value in the initial state
    bool hidden = false;       ///< a compiler temporary (a call's result): traces never print it
};

/// Reads `width` bits at bit `off` of a packed state. The buffer must have 8 bytes of slack.
inline std::uint64_t load_bits(const std::uint8_t* s, std::uint32_t off, std::uint8_t width) {
    std::uint64_t w;
    std::memcpy(&w, s + (off >> 3), sizeof w);
    return (w >> (off & 7U)) & ((std::uint64_t{1} << width) - 1U);
}

/// Writes `width` bits at bit `off`. The buffer must have 8 bytes of slack.
inline void store_bits(std::uint8_t* s, std::uint32_t off, std::uint8_t width, std::uint64_t v) {
    std::uint64_t w;
    std::memcpy(&w, s + (off >> 3), sizeof w);
    const std::uint64_t mask = ((std::uint64_t{1} << width) - 1U) << (off & 7U);
    w = (w & ~mask) | ((v << (off & 7U)) & mask);
    std::memcpy(s + (off >> 3), &w, sizeof w);
}

/// Bits needed to store values 0..range.
std::uint8_t bits_for(std::uint64_t range);

/// The layout of one transition system's state vector. Immutable once built.
class StateLayout {
public:
    /// Number of slack bytes every state buffer needs after `bytes()`.
    static constexpr std::uint32_t slack = 8;

    SlotId add(Slot s);
    /// Fixes bit offsets (in insertion order) and the byte size.
    void finish();

    [[nodiscard]] std::span<const Slot> slots() const { return slots_; }
    [[nodiscard]] const Slot& slot(SlotId id) const { return slots_[idx(id)]; }
    [[nodiscard]] std::uint32_t bits() const { return bits_; }
    /// Bytes of one packed state (without slack).
    [[nodiscard]] std::uint32_t bytes() const { return bytes_; }

    [[nodiscard]] std::int64_t read(const std::uint8_t* s, SlotId id) const {
        const Slot& sl = slots_[idx(id)];
        return static_cast<std::int64_t>(load_bits(s, sl.bit_offset, sl.width)) + sl.lo;
    }
    void write(std::uint8_t* s, SlotId id, std::int64_t v) const {
        const Slot& sl = slots_[idx(id)];
        store_bits(s, sl.bit_offset, sl.width, static_cast<std::uint64_t>(v - sl.lo));
    }

    /// Writes every slot, vals[i] into slot i, into `s` (bytes() bytes and the padding bits
    /// of the last one; the bytes after are left as they are). One pass of whole words: faster
    /// than write() per slot, whose overlapping loads and stores of one word stall.
    void pack(const std::int64_t* vals, std::uint8_t* s) const;

    /// Names for printing: enum types' enumerators, scalarset types' names, process instances.
    std::vector<std::vector<std::string>> enum_names;
    std::vector<std::string> scalarset_names;
    std::vector<std::string> process_names;

    /// How a value of slot `id` prints: "true", "dma", "none", "2", "client(0)", "free".
    [[nodiscard]] std::string format(SlotId id, std::int64_t v) const;

private:
    std::vector<Slot> slots_;
    std::uint32_t bits_ = 0;
    std::uint32_t bytes_ = 0;
};

}  // namespace iomc::ir
