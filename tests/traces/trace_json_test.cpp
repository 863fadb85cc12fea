// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "tests/support/testing.hpp"
#include "traces/render_dot.hpp"
#include "traces/replay.hpp"
#include "traces/trace_json.hpp"

using namespace iomc;

namespace {

// a: x = 1; b: await x == 1; assert x == 0.  Shortest violation: a's write, b's await, b's
// assert (a report): 3 steps.
constexpr const char* model = R"(var x: 0..1 = 0;
process a { x = 1; }
process b { await x == 1; assert x == 0; }
)";

traces::Counterexample shortest(const ir::TransitionSystem& ts) {
    const auto r = explore::check(ts, {});
    REQUIRE(r.counterexample.has_value());
    return *r.counterexample;
}

}  // namespace

TEST_SUITE("traces") {

TEST_CASE("a json trace reads back with the ids and names it was written with") {
    const auto ts = testing::compile(model);
    const auto cx = shortest(*ts);
    traces::Replay r;
    REQUIRE_FALSE(traces::confirm(*ts, cx, r).has_value());
    const std::string text = traces::render_json(*ts, cx, r);
    std::string error;
    const auto st = traces::parse_trace_json(text, error);
    INFO(error);
    REQUIRE(st.has_value());
    CHECK(st->model_file == "test.mc");
    CHECK(st->model_id == ts->model_id());
    CHECK(st->variant.empty());
    CHECK(st->property == "assertions");
    CHECK(st->kind == traces::ViolationKind::on_step);
    REQUIRE(st->steps.size() == 3);
    CHECK(st->steps[0].process == "a");
    CHECK(st->steps[0].statement == "x = 1");
    CHECK(st->steps[0].location == "test.mc:2");
    CHECK(st->steps[1].process == "b");
    CHECK(st->steps[1].statement == "await x == 1");
    CHECK(st->steps[2].statement == "assert x == 0");
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(st->steps[i].group == ir::idx(cx.trace.steps[i].group));
        CHECK(st->steps[i].outcome == cx.trace.steps[i].outcome);
    }
    // The report step says what it reported; the others what they changed.
    CHECK(text.find("\"reports\": \"assertion 'x == 0' failed\"") != std::string::npos);
    CHECK(text.find("\"x\": \"1\"") != std::string::npos);
}

TEST_CASE("malformed trace files give the position or the field that is wrong") {
    std::string error;
    CHECK_FALSE(traces::parse_trace_json("{\n  \"format\": \"iomc-trace\",\n  \"version\" 1\n}\n", error));
    CHECK(error.rfind("3:13: not valid JSON: ", 0) == 0);
    // Found by fuzzing (issue 10): nlohmann-json throws out_of_range, not parse_error, for a
    // number a double cannot hold, and it escaped: exit 134.
    CHECK_FALSE(traces::parse_trace_json("{\"format\": 1e999}", error));
    CHECK(error == "not valid JSON: number overflow parsing '1e999'");
    CHECK_FALSE(traces::parse_trace_json("{\"format\": \"spin-trail\"}", error));
    CHECK(error == "trace: format is 'spin-trail', not 'iomc-trace'");
    CHECK_FALSE(traces::parse_trace_json("{\"format\": \"iomc-trace\", \"version\": 2}", error));
    CHECK(error == "trace: version 2 is not supported (this iomc reads version 1)");
    CHECK_FALSE(traces::parse_trace_json("{\"format\": \"iomc-trace\", \"version\": 1}", error));
    CHECK(error == "trace: missing field 'model'");
    CHECK_FALSE(traces::parse_trace_json(
        "{\"format\": \"iomc-trace\", \"version\": 1, \"model\": {\"file\": \"m.mc\", \"model_id\": \"xyz\"}}", error));
    CHECK(error == "model: model_id 'xyz' is not a hexadecimal number");
    const std::string head =
        "{\"format\": \"iomc-trace\", \"version\": 1, \"model\": {\"file\": \"m.mc\", \"model_id\": \"ff\"}, "
        "\"violation\": {\"property\": \"p\", \"kind\": \"state\", \"check\": 0}, \"steps\": [";
    CHECK_FALSE(traces::parse_trace_json(head + "{\"group\": -1}]}", error));
    CHECK(error == "step 1: field 'group' has the wrong type (number)");
    CHECK_FALSE(traces::parse_trace_json(head + "{\"group\": 0, \"outcome\": 0, \"process\": \"a\"}]}", error));
    CHECK(error == "step 1: missing field 'location'");
    // Issue 10: numbers past 32 bits were cut to their low bits (4294967296 read as group 0).
    CHECK_FALSE(traces::parse_trace_json(
        head + "{\"group\": 4294967296, \"outcome\": 0, \"process\": \"a\", \"location\": \"m.mc:1\", "
               "\"statement\": \"skip\"}]}",
        error));
    CHECK(error == "step 1: field 'group' is out of range (4294967296; at most 4294967295)");
    CHECK_FALSE(traces::parse_trace_json(
        "{\"format\": \"iomc-trace\", \"version\": 4294967297, \"model\": {}}", error));
    CHECK(error == "trace: version 4294967297 is not supported (this iomc reads version 1)");
    CHECK_FALSE(traces::parse_trace_json(
        "{\"format\": \"iomc-trace\", \"version\": 1, \"model\": {\"file\": \"m.mc\", \"model_id\": \"-1\"}}",
        error));
    CHECK(error == "model: model_id '-1' is not a hexadecimal number");
    const auto ok = traces::parse_trace_json(head + "]}", error);
    REQUIRE(ok.has_value());
    CHECK(ok->model_id == 0xff);
    CHECK(ok->steps.empty());
}

TEST_CASE("the dot trace has one lane per process and the steps in time order") {
    const auto ts = testing::compile(model);
    const auto cx = shortest(*ts);
    traces::Replay r;
    REQUIRE_FALSE(traces::confirm(*ts, cx, r).has_value());
    CHECK(traces::render_dot(*ts, cx, r) ==
          "digraph trace {\n"
          "  rankdir=TB;\n"
          "  newrank=true;\n"
          "  node [shape=box, fontname=\"monospace\", fontsize=10];\n"
          "  edge [color=gray40];\n"
          "  subgraph cluster_0 {\n"
          "    label=\"a\";\n"
          "    style=rounded;\n"
          "    s1 [label=\"1) x = 1\\ltest.mc:2\\lx: 0 -> 1\\l\"];\n"
          "  }\n"
          "  subgraph cluster_1 {\n"
          "    label=\"b\";\n"
          "    style=rounded;\n"
          "    s2 [label=\"2) await x == 1\\ltest.mc:3\\l\"];\n"
          "    s3 [label=\"3) assert x == 0\\ltest.mc:3\\l! assertion 'x == 0' failed\\l\", color=red];\n"
          "  }\n"
          "  s1 -> s2;\n"
          "  s2 -> s3;\n"
          "  violation [shape=note, color=red, label=\"violated: assertion 'x == 0' failed\"];\n"
          "  s3 -> violation [style=dashed];\n"
          "}\n");
}

}  // TEST_SUITE
