// SPDX-License-Identifier: MIT
// Unit tests of checker/ir/state_layout: widths, bit offsets, packed reads and writes that
// straddle byte boundaries, and how values print.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "checker/ir/state_layout.hpp"

using namespace iomc;
using ir::Slot;
using ir::SlotId;
using ir::StateLayout;
using ir::ValueKind;

namespace {

Slot slot(const char* name, std::int32_t lo, std::int32_t hi, ValueKind kind = ValueKind::integer) {
    Slot s;
    s.name = name;
    s.lo = lo;
    s.hi = hi;
    s.kind = kind;
    return s;
}

/// A zeroed state buffer for `l`, with the slack the packed accessors need.
std::vector<std::uint8_t> buffer(const StateLayout& l) {
    return std::vector<std::uint8_t>(l.bytes() + StateLayout::slack, 0);
}

}  // namespace

TEST_SUITE("ir") {

TEST_CASE("bits_for gives the number of bits of the largest offset from lo") {
    // range = hi - lo; the width is the position of its highest set bit plus one.
    CHECK(ir::bits_for(0) == 0);  // a constant slot needs no bits
    CHECK(ir::bits_for(1) == 1);  // bool
    CHECK(ir::bits_for(2) == 2);  // 0..2
    CHECK(ir::bits_for(3) == 2);  // 0..3
    CHECK(ir::bits_for(4) == 3);  // 0..4, or an optional enum of four (-1..3)
    CHECK(ir::bits_for(255) == 8);
    CHECK(ir::bits_for(256) == 9);
    CHECK(ir::bits_for(0xFFFFFFFFULL) == 32);
    CHECK(ir::bits_for(0x100000000ULL) == 33);
}

TEST_CASE("slots are packed in insertion order without padding") {
    // widths: flag 0..1 -> 1, cnt 0..2 -> 2, dom -1..3 (optional, 5 values) -> 3,
    // fixed 5..5 -> 0, big 0..1000 -> 10, neg -4..3 -> 3.
    // offsets: 0, 1, 3, 6, 6, 16; total 19 bits -> 3 bytes.
    StateLayout l;
    const auto flag = l.add(slot("flag", 0, 1, ValueKind::boolean));
    const auto cnt = l.add(slot("cnt", 0, 2));
    const auto dom = l.add(slot("dom", -1, 3, ValueKind::enumeration));
    const auto fixed = l.add(slot("fixed", 5, 5));
    const auto big = l.add(slot("big", 0, 1000));
    const auto neg = l.add(slot("neg", -4, 3));
    l.finish();
    CHECK(ir::idx(flag) == 0);
    CHECK(ir::idx(neg) == 5);
    CHECK(l.slot(flag).width == 1);
    CHECK(l.slot(cnt).width == 2);
    CHECK(l.slot(dom).width == 3);
    CHECK(l.slot(fixed).width == 0);
    CHECK(l.slot(big).width == 10);
    CHECK(l.slot(neg).width == 3);
    CHECK(l.slot(flag).bit_offset == 0);
    CHECK(l.slot(cnt).bit_offset == 1);
    CHECK(l.slot(dom).bit_offset == 3);
    CHECK(l.slot(fixed).bit_offset == 6);
    CHECK(l.slot(big).bit_offset == 6);
    CHECK(l.slot(neg).bit_offset == 16);
    CHECK(l.bits() == 19);
    CHECK(l.bytes() == 3);
    CHECK(l.slots().size() == 6);
}

TEST_CASE("an empty layout still takes one byte") {
    StateLayout l;
    l.finish();
    CHECK(l.bits() == 0);
    CHECK(l.bytes() == 1);
}

TEST_CASE("a layout of exactly eight bits takes one byte") {
    StateLayout l;
    l.add(slot("a", 0, 15));
    l.add(slot("b", 0, 15));
    l.finish();
    CHECK(l.bits() == 8);
    CHECK(l.bytes() == 1);
}

TEST_CASE("values are stored as value minus lo in the exact bits") {
    // a: 0..7 at bits 0-2, b: bool at bit 3, c: -1..2 (2 bits) at bits 4-5.
    // a = 5 -> 101; b = 1 -> 1000; c = -1 -> stored 0; c = 2 -> stored 3 -> 110000.
    StateLayout l;
    const auto a = l.add(slot("a", 0, 7));
    const auto b = l.add(slot("b", 0, 1, ValueKind::boolean));
    const auto c = l.add(slot("c", -1, 2, ValueKind::scalarset));
    l.finish();
    auto s = buffer(l);
    l.write(s.data(), a, 5);
    CHECK(s[0] == 0x05);
    l.write(s.data(), b, 1);
    CHECK(s[0] == 0x0D);
    l.write(s.data(), c, -1);
    CHECK(s[0] == 0x0D);
    CHECK(l.read(s.data(), c) == -1);
    l.write(s.data(), c, 2);
    CHECK(s[0] == 0x3D);
    CHECK(l.read(s.data(), a) == 5);
    CHECK(l.read(s.data(), b) == 1);
    CHECK(l.read(s.data(), c) == 2);
}

TEST_CASE("a slot that straddles a byte boundary reads back and leaves its neighbours alone") {
    // pad: 7 bits (0..100) at 0-6; mid: 13 bits (0..5000) at 7-19, straddling bytes 0, 1, 2;
    // tail: 32 bits at 20-51, straddling bytes 2..6. Fill everything with ones, then write mid.
    StateLayout l;
    const auto pad = l.add(slot("pad", 0, 100));
    const auto mid = l.add(slot("mid", 0, 5000));
    Slot wide = slot("tail", 0, 0);
    wide.lo = -2147483647 - 1;
    wide.hi = 2147483647;
    const auto tail = l.add(wide);
    l.finish();
    REQUIRE(l.slot(pad).width == 7);
    REQUIRE(l.slot(mid).width == 13);
    REQUIRE(l.slot(mid).bit_offset == 7);
    REQUIRE(l.slot(tail).width == 32);
    REQUIRE(l.slot(tail).bit_offset == 20);
    CHECK(l.bytes() == 7);  // 52 bits
    auto s = buffer(l);
    l.write(s.data(), pad, 100);
    l.write(s.data(), tail, 2147483647);
    l.write(s.data(), mid, 4097);  // 1 0000 0000 0001: both ends of the field set
    CHECK(l.read(s.data(), pad) == 100);
    CHECK(l.read(s.data(), mid) == 4097);
    CHECK(l.read(s.data(), tail) == 2147483647);
    l.write(s.data(), mid, 0);
    CHECK(l.read(s.data(), pad) == 100);
    CHECK(l.read(s.data(), mid) == 0);
    CHECK(l.read(s.data(), tail) == 2147483647);
    l.write(s.data(), tail, -2147483647 - 1);  // stored as 0
    CHECK(l.read(s.data(), tail) == -2147483647 - 1);
    CHECK(l.read(s.data(), pad) == 100);
    // bytes: pad = 100 = 0x64 in bits 0-6, mid = 0, tail = 0: only byte 0 is non-zero.
    CHECK(s[0] == 0x64);
    for (std::size_t i = 1; i < l.bytes(); ++i) CHECK(s[i] == 0);
}

TEST_CASE("load_bits and store_bits work at every bit offset of a word") {
    // For each offset 0..40 write an alternating 9-bit pattern into a buffer of ones and check
    // that the bits outside the field are still ones.
    for (std::uint32_t off = 0; off <= 40; ++off) {
        CAPTURE(off);
        std::vector<std::uint8_t> s(16, 0xFF);
        ir::store_bits(s.data(), off, 9, 0x155);
        CHECK(ir::load_bits(s.data(), off, 9) == 0x155);
        if (off > 0)
            CHECK(ir::load_bits(s.data(), 0, static_cast<std::uint8_t>(std::min(off, 32U))) ==
                  (std::uint64_t{1} << std::min(off, 32U)) - 1);
        CHECK(ir::load_bits(s.data(), off + 9, 16) == 0xFFFF);
    }
}

TEST_CASE("a zero-width slot always reads its lo") {
    StateLayout l;
    const auto a = l.add(slot("a", 0, 1));
    const auto k = l.add(slot("k", 3, 3));
    const auto b = l.add(slot("b", 0, 1));
    l.finish();
    auto s = buffer(l);
    l.write(s.data(), a, 1);
    l.write(s.data(), b, 1);
    CHECK(l.read(s.data(), k) == 3);
    l.write(s.data(), k, 3);
    CHECK(l.read(s.data(), a) == 1);
    CHECK(l.read(s.data(), b) == 1);
    CHECK(s[0] == 0x03);
}

TEST_CASE("pack writes every slot as write() does, in one pass over whole words") {
    // Widths 0..33 in a seeded mix, so that slots straddle bytes and 64-bit words, including
    // one that ends exactly on a word (the 64-bit flush with no bits left over). The packed
    // bytes must equal those of write() per slot into a zeroed buffer, padding bits included.
    for (std::uint32_t seed = 1; seed <= 50; ++seed) {
        StateLayout l;
        std::uint32_t x = seed * 2654435761U;
        auto next = [&] {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            return x;
        };
        const std::uint32_t n = 1 + next() % 40;
        std::vector<std::int64_t> vals;
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::uint32_t width = next() % 34;
            const std::int32_t lo = static_cast<std::int32_t>(next() % 5) - 2;
            const std::int64_t range = width == 0 ? 0 : (std::int64_t{1} << width) - 1;
            l.add(slot("s", lo, static_cast<std::int32_t>(lo + std::min<std::int64_t>(range, 0x7FFFFFF0))));
            vals.push_back(lo + (range == 0 ? 0 : static_cast<std::int64_t>(next()) % (range + 1)));
        }
        l.finish();
        auto by_slot = buffer(l);
        for (std::uint32_t i = 0; i < n; ++i) {
            const auto& sl = l.slot(SlotId{i});
            vals[i] = std::clamp<std::int64_t>(vals[i], sl.lo, sl.hi);
            l.write(by_slot.data(), SlotId{i}, vals[i]);
        }
        auto packed = buffer(l);
        l.pack(vals.data(), packed.data());
        CAPTURE(seed);
        CHECK(packed == by_slot);
        for (std::uint32_t i = 0; i < n; ++i) CHECK(l.read(packed.data(), SlotId{i}) == vals[i]);
    }
    // Exactly 64 bits: two 32-bit slots fill one word, and nothing is written after it.
    StateLayout w;
    w.add(slot("a", 0, 0x7FFFFFFF));
    w.add(slot("b", 0, 0x7FFFFFFF));
    w.add(slot("c", 0, 1));
    w.add(slot("d", 0, 1));
    w.finish();
    REQUIRE(w.bits() == 64);
    auto buf = buffer(w);
    std::fill(buf.begin(), buf.end(), std::uint8_t{0xAB});
    const std::int64_t v[] = {0x12345678, 0x7FFFFFFF, 1, 0};
    w.pack(v, buf.data());
    CHECK(w.read(buf.data(), SlotId{0}) == 0x12345678);
    CHECK(w.read(buf.data(), SlotId{1}) == 0x7FFFFFFF);
    CHECK(w.read(buf.data(), SlotId{2}) == 1);
    CHECK(w.read(buf.data(), SlotId{3}) == 0);
    CHECK(buf[8] == 0xAB);  // the slack after the state is left alone
}

TEST_CASE("values print by their kind") {
    StateLayout l;
    const auto b = l.add(slot("b", 0, 1, ValueKind::boolean));
    Slot e = slot("e", -1, 2, ValueKind::enumeration);
    e.type_index = 0;
    const auto en = l.add(e);
    const auto sc = l.add(slot("s", -1, 2, ValueKind::scalarset));
    const auto m = l.add(slot("m", -1, 1, ValueKind::mutex));
    const auto i = l.add(slot("i", -3, 3));
    const auto k = l.add(slot("k", 0, 3, ValueKind::kref));
    l.enum_names = {{"dma", "identity", "blocked"}};
    l.process_names = {"client(0)", "client(1)"};
    l.finish();
    CHECK(l.format(b, 0) == "false");
    CHECK(l.format(b, 1) == "true");
    CHECK(l.format(en, -1) == "none");
    CHECK(l.format(en, 0) == "dma");
    CHECK(l.format(en, 2) == "blocked");
    CHECK(l.format(en, 7) == "7");  // no name: the number
    CHECK(l.format(sc, -1) == "none");
    CHECK(l.format(sc, 1) == "1");
    CHECK(l.format(m, -1) == "free");
    CHECK(l.format(m, 1) == "held by client(1)");
    CHECK(l.format(m, 5) == "held by #5");
    CHECK(l.format(i, -3) == "-3");
    CHECK(l.format(k, 2) == "2");
}

}  // TEST_SUITE
