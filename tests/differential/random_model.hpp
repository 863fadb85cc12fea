// SPDX-License-Identifier: MIT
/// @file Seeded random .mc models for the differential tests: locks (global and per element,
/// and bools taken as locks the way Promela models take them, globals and the family's own
/// element `bl[i]` of an array, now and then also written by a stray statement, which makes them
/// plain bools to the reduction),
/// shared arrays read and written through dynamic indices, a scalarset-indexed process family,
/// awaits, atomic blocks, nondeterministic choice, loops (also over the scalarset, with steps
/// or within one step), named assertions and invariants with quantifiers. Half the models keep
/// the scalarset symmetric, so that symmetry reduction is exercised. A model is a tree of statements that renders to .mc text and can be shrunk
/// (statements, invariants and processes removed one at a time) to the smallest model that
/// still shows a disagreement.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/support/testing.hpp"

namespace iomc::testing {

/// One statement: a simple one (text), or a compound one with nested bodies.
struct RStmt {
    enum class Kind : std::uint8_t { simple, if_, while_, atomic, either, locked, bool_locked, for_ };
    Kind kind = Kind::simple;
    std::string text;             ///< simple: the statement; if/while: the condition; locked: the
                                  ///< mutex; bool_locked: the bool taken as a lock (`atomic {
                                  ///< await !b; b = true; }` ... `b = false;`); for: the loop
                                  ///< variable (over Id)
    std::vector<RStmt> body;      ///< if: then; while, atomic, locked, bool_locked: the body;
                                  ///< either: branch 1
    std::vector<RStmt> other;     ///< if: else; either: branch 2
};

struct RProcess {
    std::string header;           ///< "process p" or "process w(i: Id)"
    std::vector<std::string> locals;
    std::vector<RStmt> body;
};

struct RModel {
    std::vector<std::string> decls;       ///< consts, types, vars
    std::vector<RProcess> processes;
    std::vector<std::string> properties;  ///< invariants
    [[nodiscard]] std::string text() const;
    /// Statements in all processes, compound ones counted with their contents.
    [[nodiscard]] std::size_t size() const;
};

/// The model for `seed`. Deterministic: the same seed gives the same text on every machine.
RModel random_model(std::uint64_t seed);

/// Greedily removes processes, invariants and statements (a compound statement is also tried
/// replaced by its body) while `still_fails(candidate)` holds. Returns the smallest found.
RModel shrink(RModel m, const std::function<bool(const RModel&)>& still_fails);

/// Compiles the models of seeds 1..n and calls f(seed, ts) for each, with the seed and the
/// model's text as the test's context (printed with any failure inside f).
template <class F>
void for_each_random_model(std::uint64_t n, F&& f) {
    for (std::uint64_t seed = 1; seed <= n; ++seed) {
        const auto text = random_model(seed).text();
        auto c = compile_text(text);
        INFO("seed ", seed);
        INFO(text);
        REQUIRE(c.ts);
        f(seed, *c.ts);
    }
}

}  // namespace iomc::testing
