// SPDX-License-Identifier: MIT
/// @file Zeroed arrays for the state tables, on transparent huge pages where the kernel offers
/// them: an open-addressing table is read at random, and with 4 KiB pages nearly every lookup
/// also misses the TLB (a page walk, nested on a virtual machine). Arrays of 2 MiB and more are
/// aligned to 2 MiB and advised MADV_HUGEPAGE (Debian's default THP mode is "madvise"); smaller
/// ones come from malloc as before.
#pragma once

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace iomc::explore {

struct FreeMemory {
    void operator()(void* p) const { std::free(p); }
};
template <class T>
using Zeroed = std::unique_ptr<T[], FreeMemory>;

/// n zeroed elements of T (a trivial type).
template <class T>
Zeroed<T> zeroed(std::size_t n) {
    constexpr std::size_t huge = std::size_t{2} << 20;
    const std::size_t bytes = n * sizeof(T);
    void* p = nullptr;
    if (bytes >= huge) {
        p = std::aligned_alloc(huge, (bytes + huge - 1) / huge * huge);
        if (p) madvise(p, bytes, MADV_HUGEPAGE);
    } else {
        p = std::malloc(bytes > 0 ? bytes : 1);
    }
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, bytes);
    return Zeroed<T>(static_cast<T*>(p));
}

}  // namespace iomc::explore
