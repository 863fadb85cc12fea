// SPDX-License-Identifier: MIT
/// @file Compact storage for the breadth-first search on one thread (`--storage compact` and
/// `--storage hash`). One open-addressing table of bit-packed slots is the store: a slot holds
/// a state's code, the slot of its parent, and a bit that marks states stored during the
/// current level; a state's reference is its slot. Linear probing never moves an entry, so
/// references stay valid until the table grows: by a fifth when 85 % full, so that at least
/// 70 % of the slots are in use; then every slot moves, and the search is told how (on_move).
///
/// - compact (lossless): tree compression (after LTSmin's tree table: A. Laarman, J. van de Pol,
///   M. Weber, "Parallel recursive state compression for free", SPIN 2011). A state of up to 64
///   bits is its own code. A longer one is cut into 32-bit words, and every inner node of a
///   balanced binary tree over them is hash-consed in its own table (dense ids), so the code is
///   the root's pair of child ids, packed in as many bits as the child tables need (the slots
///   are repacked when a child table outgrows its width).
/// - hash (lossy): hash compaction (U. Stern and D. L. Dill, "Improved probabilistic
///   verification by hash compaction", CHARME 1995). The code is a 64-bit fingerprint of the
///   state; two states with one fingerprint are taken for one, so a state may be missed, with
///   probability at most n(n-1)/2^65 for n states stored (omission_probability()). The states
///   of the current and the next level are kept in full for expansion.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "checker/explore/memory_budget.hpp"

namespace iomc::explore {

enum class StorageKind : std::uint8_t { exact, compact, hash };

/// "exact", "compact", "hash".
const char* to_string(StorageKind k);

/// Not thread-safe.
class CompactStore {
public:
    using Ref = std::uint32_t;
    static constexpr Ref none = UINT32_MAX;

    CompactStore(std::size_t state_bytes, StorageKind kind, MemoryBudget& budget, std::uint64_t max_states);
    ~CompactStore();
    CompactStore(const CompactStore&) = delete;
    CompactStore& operator=(const CompactStore&) = delete;

    struct Insert {
        Ref ref = none;
        bool fresh = false;
        bool refused = false;     ///< the memory budget refused the growth it needed
        bool over_limit = false;  ///< new, but the state limit is reached
        bool full = false;        ///< new, but the table has no index left
    };
    /// Stores `s` with its parent unless present. May move slots (see on_move) before storing.
    Insert insert(const std::uint8_t* s, Ref parent);
    [[nodiscard]] std::optional<Ref> find(const std::uint8_t* s);
    /// The state at `r`, decoded into a buffer valid until the next call (hash: only states of
    /// the current and the next level).
    const std::uint8_t* get(Ref r);
    [[nodiscard]] Ref parent(Ref r) const;
    /// Hash compaction: the fingerprint of a state, and the one stored at `r`.
    [[nodiscard]] std::uint64_t fingerprint_of(const std::uint8_t* s) const;
    [[nodiscard]] std::uint64_t stored_fingerprint(Ref r) const { return read(r).code_lo; }
    [[nodiscard]] std::uint64_t size() const { return count_; }
    /// Starts a new level: states stored so far are of earlier ones. Clears the level bit of
    /// the states in `current` (the new level's states, stored during the last one).
    template <class Refs>
    void mark_level(const Refs& current) {
        for (std::uint32_t i = 0; i < current.size(); ++i) set_level_bit(current[i], false);
        if (kind_ == StorageKind::hash && !rotated_) rotate_levels();
        rotated_ = true;
    }
    /// Ends marking a level (several frontier lists may be marked in turn).
    void level_marked() { rotated_ = false; }
    /// True when `r` was stored before the current level (its level bit is clear).
    [[nodiscard]] bool earlier_level(Ref r) const;
    /// Called when slots move (the table grew): old slot -> new slot, for every old slot that
    /// held a state. Refs held outside must be mapped through it.
    std::function<void(const std::vector<Ref>&)> on_move;
    /// Bytes per stored state of everything the store holds (table and trees).
    [[nodiscard]] std::uint64_t memory_bytes() const;
    [[nodiscard]] StorageKind kind() const { return kind_; }
    /// Hash compaction: an upper bound on the probability that some state was missed.
    [[nodiscard]] double omission_probability() const;

private:
    struct NodeTable;
    struct Slot {
        std::uint64_t code_hi = 0, code_lo = 0;  ///< the code (hi: the left child id of a pair)
        Ref parent = none;
        bool level = false;
    };
    [[nodiscard]] std::uint64_t code_hash(std::uint64_t hi, std::uint64_t lo) const;
    void encode(const std::uint8_t* s, std::uint64_t& hi, std::uint64_t& lo);
    void decode(std::uint64_t hi, std::uint64_t lo, std::uint8_t* out);
    [[nodiscard]] Slot read(std::uint64_t i) const;
    static Slot read_slot(const std::vector<std::uint64_t>& w, std::uint64_t i, unsigned hi_bits, unsigned lo_bits,
                          unsigned parent_bits);
    void write(std::uint64_t i, const Slot& s);
    [[nodiscard]] bool occupied(std::uint64_t i) const;
    /// The slot holding the code (true), or the empty slot where it would go (false).
    std::pair<std::uint64_t, bool> probe(std::uint64_t hi, std::uint64_t lo, std::uint64_t hash) const;
    bool grow(std::uint64_t new_capacity, unsigned new_hi_bits, unsigned new_lo_bits);
    void set_level_bit(Ref r, bool v);
    void rotate_levels();
    [[nodiscard]] unsigned width() const { return hi_bits_ + lo_bits_ + parent_bits_ + 2; }
    /// What one kept state of a level costs (hash compaction), a map node's overhead included.
    [[nodiscard]] std::uint64_t level_entry_bytes() const { return bytes_ + 8 + 64; }

    std::size_t bytes_;
    StorageKind kind_;
    MemoryBudget& budget_;
    std::uint64_t max_states_;
    std::uint64_t count_ = 0;
    std::uint64_t capacity_ = 0;
    unsigned hi_bits_ = 0, lo_bits_ = 0, parent_bits_ = 0;
    std::vector<std::uint64_t> bits_;   ///< the slots, width() bits each
    std::uint64_t table_bytes_ = 0;
    // Tree compression: a balanced binary tree over the 32-bit words of a state. Node 0 is the
    // root (its code is the slot's (hi, lo)); inner nodes below it have a table each.
    struct TreeNode {
        std::uint32_t first = 0, last = 0;  ///< the words [first, last)
        std::int32_t left = -1, right = -1; ///< children (-1 for a leaf)
        std::int32_t table = -1;            ///< into nodes_ (inner nodes but the root)
    };
    std::size_t words_ = 0;
    std::vector<TreeNode> tree_;
    std::vector<std::uint32_t> post_order_;   ///< every node below the root, children first
    std::vector<std::unique_ptr<NodeTable>> nodes_;
    std::vector<std::uint64_t> codes_;        ///< per node, while encoding
    std::vector<std::uint8_t> buf_;
    // Hash compaction: full states of the current and the next level, by ref.
    std::unordered_map<Ref, std::vector<std::uint8_t>> this_level_, next_level_;
    bool rotated_ = false;
};

}  // namespace iomc::explore
