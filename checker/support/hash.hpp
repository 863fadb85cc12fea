// SPDX-License-Identifier: MIT
/// @file Hashing: a fast 64-bit hash of packed states, and a streaming hasher for model ids.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace iomc::support {

inline std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/// Hash of `n` bytes; reads whole 8-byte words, so the buffer needs 8 bytes of readable slack
/// (packed states have it) and bytes past `n` are masked out.
inline std::uint64_t hash_bytes(const std::uint8_t* p, std::size_t n) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
    }
    if (i < n) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        w &= (std::uint64_t{1} << ((n - i) * 8)) - 1U;
        h = mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
    }
    return mix64(h);
}

/// Streaming hasher for identities (model ids). Deterministic across runs and machines.
class Hasher {
public:
    void add(std::uint64_t v) { h_ = mix64(h_ ^ (v + 0x9e3779b97f4a7c15ULL + (h_ << 6) + (h_ >> 2))); }
    void add_string(std::string_view s) {
        add(s.size());
        for (unsigned char c : s) add(c);
    }
    [[nodiscard]] std::uint64_t digest() const { return mix64(h_); }

private:
    std::uint64_t h_ = 0x84222325cbf29ce4ULL;
};

}  // namespace iomc::support
