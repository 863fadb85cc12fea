// SPDX-License-Identifier: MIT
/// @file Scalarset symmetry reduction: maps every state to a representative of its orbit under
/// the permutations of each scalarset the model keeps symmetric (Murphi's scalarsets: C. N.
/// Ip and D. L. Dill, "Better verification through symmetry", FMSD 9, 1996). A permutation
/// moves the slots a scalarset indexes (array elements, the pcs and locals of process
/// instances) and renames the values of its type (scalarset values, mutex owners).
///
/// Canonical form. Each element gets a key invariant under permutations: the values of the
/// slots it alone indexes (a scalarset value as none / itself / another, a mutex owner as
/// free / its own instance / another). Elements are ordered by key; the exact mode tries every
/// order of equal keys and keeps the smallest image (exact: one representative per orbit);
/// the heuristic mode takes one order (ties by index), which is sound but may keep several
/// representatives of an orbit. The exact mode falls back to one order when the ties would
/// need more than `max_candidates` images, and counts those states.
///
/// Classes of ties. Two tied elements a, b whose transposition (a b) maps the state to itself
/// are interchangeable: for any order p, p and p(a b) give the same image. Interchangeability
/// is an equivalence ((a c) = (a b)(b c)(a b)), so each group of ties splits into classes by
/// one comparison with each class's first member, and the exact mode tries only the distinct
/// orders of the class labels (a multinomial, not a factorial: five idle devices are one class
/// and one image). The minimum over those images is the minimum over all orders, so the
/// representative is the same. When the one order left is the identity, the state is its own
/// image and is copied. Images are compared with the best so far slot by slot, in slot order,
/// and dropped at the first larger slot.
///
/// Ordered walks. A process's unrolled `for d: Dev` loop with steps in its body visits the
/// devices in index order, which other processes can observe: while some process can still
/// reach such a walk (it is in one, or one is reachable from its location), a state and its
/// image need not have the same futures. In those states the scalarset is left as it is.
/// Once no process can reach a walk over it, every step that remains is symmetric (walk
/// reachability only shrinks along a run), and the states from there on are reduced as
/// usual: the part of the state graph past the last walk is a symmetric system of its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/transition_system.hpp"

namespace iomc::reduce {

enum class SymmetryMode : std::uint8_t { off, exact, heuristic };

/// "off", "exact", "heuristic".
const char* to_string(SymmetryMode m);

struct SymmetryStats {
    std::uint64_t canonicalized = 0;  ///< states mapped to their representative
    std::uint64_t heuristic = 0;      ///< of those, with ties broken by index (not exact)
};

/// Tables for one transition system and one canonicalization buffer: one per search thread.
class Canonicalizer {
public:
    /// Images of ties tried per state in the exact mode before falling back to one order.
    static constexpr std::uint64_t default_max_candidates = 5040;

    /// `max_candidates`: the exact mode's bound (counterexample realization passes no bound:
    /// it needs one representative per orbit to compare states of the same orbit).
    Canonicalizer(const ir::TransitionSystem& ts, SymmetryMode mode,
                  std::uint64_t max_candidates = default_max_candidates);

    /// True when at least one scalarset is reduced.
    [[nodiscard]] bool active() const { return !active_.empty(); }
    /// The scalarsets reduced (indices into ts.symmetry().scalarsets).
    [[nodiscard]] const std::vector<std::uint32_t>& reduced() const { return active_; }
    [[nodiscard]] SymmetryMode mode() const { return mode_; }
    /// Writes the representative of the orbit of `s` into `out` (state_buffer_size() bytes;
    /// `out` may not alias `s`).
    void canonicalize(const std::uint8_t* s, std::uint8_t* out);
    [[nodiscard]] const SymmetryStats& stats() const { return stats_; }

private:
    struct Shape {
        std::vector<std::uint32_t> slots;   ///< by mixed-radix index of the coordinates
        std::vector<std::uint32_t> radix;   ///< per coordinate position: scalarset size
        std::vector<std::uint32_t> scalarset;  ///< per coordinate position
    };
    /// A slot a permutation can change, seen from where the image puts a value: its source is
    /// the slot of its shape at the inverse image of its coordinates.
    struct Target {
        std::uint32_t slot = 0;
        std::uint32_t shape = 0;   ///< 0: the slot stays (only its value is mapped)
        std::uint32_t first = 0;   ///< its coordinates in tcoords_
        std::uint32_t count = 0;
    };
    struct TargetCoord {
        std::uint32_t set = 0;
        std::uint32_t value = 0;
        std::uint32_t stride = 0;  ///< of this position in the shape's mixed radix
    };
    /// Elements of one scalarset with equal keys, at positions [begin, end) of elems_.
    struct Group {
        std::uint32_t set = 0;
        std::uint32_t begin = 0, end = 0;
        std::uint32_t base = 0;    ///< elems_ index of the set's first element (position 0)
    };
    [[nodiscard]] std::uint32_t source_of(const Target& t) const {
        if (t.shape == 0) return t.slot;
        std::uint64_t at = 0;
        for (std::uint32_t k = t.first; k < t.first + t.count; ++k) {
            const auto& c = tcoords_[k];
            at += std::uint64_t{inv_[c.set][c.value]} * c.stride;
        }
        return shapes_[t.shape].slots[at];
    }
    [[nodiscard]] std::int64_t image_value(std::uint32_t slot, std::int64_t v) const;
    void keys_of(std::uint32_t set);
    /// Splits each group of ties into classes of elements any two of which a transposition
    /// swaps without changing the state (an automorphism): orders that differ only inside a
    /// class give the same image, so only orders of the class labels are tried.
    void split_classes();
    [[nodiscard]] bool swap_fixes(std::uint32_t set, std::uint32_t a, std::uint32_t b);
    /// perm_ and inv_ from the groups' current labels.
    void assign();
    /// Keeps the image of vals_ under perm_ in best_ if it is smaller (compared slot by slot,
    /// stopping at the first larger one).
    void try_candidate();
    /// True when some process, at its location in the unpacked state vals_, can still reach a
    /// walk over scalarset `set`.
    [[nodiscard]] bool walk_ahead(std::uint32_t set) const;

    const ir::TransitionSystem& ts_;
    SymmetryMode mode_;
    std::uint64_t max_candidates_;
    std::vector<std::uint32_t> active_;
    std::vector<char> is_active_;                    ///< per scalarset
    std::vector<std::int32_t> value_set_;            ///< per slot: scalarset whose values it holds, or -1
    std::vector<char> is_mutex_;                     ///< per slot
    std::vector<Target> targets_;                    ///< the slots a permutation can change, in slot order
    std::vector<TargetCoord> tcoords_;
    std::vector<Shape> shapes_;                      ///< index: slot shape id
    std::vector<Shape> process_shapes_;
    std::vector<std::vector<std::uint32_t>> process_coords_;
    /// Per active scalarset: the shapes with one coordinate, in it (its elements' keys).
    std::vector<std::vector<std::uint32_t>> key_shapes_;
    std::vector<std::vector<std::uint32_t>> perm_;   ///< per scalarset: element -> new element
    std::vector<std::vector<std::uint32_t>> inv_;    ///< per scalarset: new element -> element
    /// walk_reach_[p][l]: the scalarsets (a bitmask) a walk over which process p can reach from
    /// location l, itself included.
    std::vector<std::vector<std::uint64_t>> walk_reach_;
    std::vector<std::int64_t> vals_, best_;
    bool have_best_ = false;
    std::vector<std::int64_t> keys_;                 ///< per element of the set being keyed: its keys
    std::size_t key_width_ = 0;
    // Per state: the elements of the unfrozen sets in key order, the groups of equal keys, and
    // per position a class label (a class's members are members_[class_first_[c]...]).
    std::vector<std::uint32_t> elems_, labels_, members_, class_first_, class_used_, reps_;
    std::vector<Group> groups_;
    SymmetryStats stats_;
};

}  // namespace iomc::reduce
