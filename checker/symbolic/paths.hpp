// SPDX-License-Identifier: MIT
/// @file The paths of execute.cpp's symbolic execution, and where they meet again. At every
/// jump target (a join point) a path waits; the paths waiting at the same point in the same
/// iteration of the loops around it, after the same nondeterministic choices (fork, choose),
/// become one path. Their conditions are disjoint (they split at branches on state values), so
/// the merged path runs under either condition, with each slot and stack value an if-then-else
/// on the first one's condition, as CBMC merges at join points. Paths are taken up in program
/// order (loop iterations in order), so that every path that can reach a join point is there
/// before it runs on: a fragment's encoding grows with its unrolled size, not with the number of
/// its paths. Paths after different choices stay apart: they are different successors.
/// Internal to checker/symbolic.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "checker/symbolic/encoder.hpp"

namespace iomc::symbolic {

/// An offset a value may take, and when it does (no multiplication for the solver to blast).
struct Offset {
    std::int64_t at;
    z3::expr when;
};

struct Val {
    z3::expr e;
    std::vector<Offset> offsets;  ///< the values an offset may take; empty if unknown
};

struct Path {
    explicit Path(SymState s, z3::expr c) : slots(std::move(s)), cond(std::move(c)) {}
    std::uint32_t ip = 0;
    std::vector<Val> stack;
    SymState slots;
    z3::expr cond;
    std::uint64_t steps = 0;
    /// Undecided branches taken so far, per branch instruction.
    std::map<std::uint32_t, std::uint32_t> branches;
    /// The loops around ip (outermost first) and the iterations of each done so far.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> loops;
    /// Nondeterministic choices made: (instruction << 32) | alternative.
    std::vector<std::uint64_t> choices;
    /// Set by a jump: the instruction it jumped from (the loops are updated at the target).
    std::uint32_t from = 0;
    bool jumped = false;
};

/// e's value if it simplifies to a constant.
std::optional<std::int64_t> constant(const z3::expr& e);

/// The paths waiting at join points of one program, merged where they meet.
class Junctions {
public:
    explicit Junctions(const ir::Program& p);

    /// Is instruction ip a join point (a jump or fork target)?
    [[nodiscard]] bool join(std::uint32_t ip) const { return join_[ip] != 0; }
    /// Puts p to wait at its join point, merged with a path already waiting there.
    void wait(Path&& p);
    [[nodiscard]] bool empty() const { return waiting_.empty(); }
    /// The first waiting path in program order, taken out.
    Path next();

private:
    /// Where a waiting path is: its position in program order (per loop around it, the loop's
    /// head and iteration, then the instruction), its choices and its stack depth.
    struct Point {
        std::vector<std::uint32_t> pos;
        std::vector<std::uint64_t> choices;
        std::size_t depth = 0;
        bool operator<(const Point& o) const {
            return std::tie(pos, choices, depth) < std::tie(o.pos, o.choices, o.depth);
        }
    };

    void enter(Path& p) const;
    [[nodiscard]] Point point(const Path& p) const;

    std::vector<char> join_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> loops_;  ///< (head, last instruction)
    std::map<Point, Path> waiting_;
};

}  // namespace iomc::symbolic
