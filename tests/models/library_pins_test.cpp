// SPDX-License-Identifier: MIT
/// @file Pins the model id, the reachable state count and the transition count of every variant
/// of every library scenario, searched without reductions. A change to the front end, the IR or
/// the models that alters any of them fails here loudly; when the change is meant, regenerate the
/// pin file with IOMC_UPDATE_PINS=1 and say why in the commit.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/support/testing.hpp"

using namespace iomc;

namespace {

/// "file variant model_id states transitions", one line per scenario variant, sorted.
std::vector<std::string> current_pins() {
    std::vector<std::string> out;
    testing::for_each_library_variant([&](const std::string& file, const std::string& v, const ir::TransitionSystem& ts) {
        // Every property, not stopping at violations: the search covers the whole reachable
        // graph unless every property is violated (no library variant violates them all).
        const auto r = explore::check(ts, {.stop_at_first = false});
        CHECK(r.complete);
        out.push_back(fmt::format("{} {} {:016x} {} {}", file, v.empty() ? "-" : v, ts.model_id(), r.stats.states,
                                  r.stats.transitions));
    });
    return out;
}

}  // namespace

TEST_SUITE("models") {

TEST_CASE("every library scenario variant keeps its model id and its state and transition counts") {
    const std::string pin_file = testing::source_path("tests/models/pins.txt");
    const auto now = current_pins();
    if (const char* u = std::getenv("IOMC_UPDATE_PINS"); u && std::string(u) == "1") {
        std::ofstream out(pin_file);
        out << "# file variant model_id states transitions (no reductions); regenerate with IOMC_UPDATE_PINS=1\n";
        for (const auto& l : now) out << l << '\n';
        MESSAGE("rewrote ", pin_file);
        return;
    }
    std::ifstream in(pin_file);
    REQUIRE_MESSAGE(in.good(), "missing pin file ", pin_file);
    std::map<std::string, std::string> pinned;  // "file variant" -> whole line
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ls(line);
        std::string f, v;
        ls >> f >> v;
        pinned[f + " " + v] = line;
    }
    std::size_t matched = 0;
    for (const auto& l : now) {
        std::istringstream ls(l);
        std::string f, v;
        ls >> f >> v;
        const auto it = pinned.find(f + " " + v);
        CAPTURE(l);
        REQUIRE_MESSAGE(it != pinned.end(), "no pin for ", f, " ", v);
        CHECK(it->second == l);
        ++matched;
    }
    CHECK(matched == pinned.size());
}

}  // TEST_SUITE
