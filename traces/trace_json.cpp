// SPDX-License-Identifier: MIT
#include "traces/trace_json.hpp"

#include <cstdint>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace iomc::traces {

namespace {

constexpr int format_version = 1;

const char* kind_name(ViolationKind k) {
    switch (k) {
        case ViolationKind::on_step: return "step";
        case ViolationKind::in_state: return "state";
        case ViolationKind::deadlock: return "deadlock";
        case ViolationKind::lasso: return "lasso";
    }
    return "state";
}

/// Line and column (1-based) of byte `offset` of `text`.
std::pair<std::size_t, std::size_t> line_col(const std::string& text, std::size_t offset) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

}  // namespace

std::string render_json(const ir::TransitionSystem& ts, const Counterexample& cx, const Replay& r) {
    using json = nlohmann::ordered_json;  // fields in the order docs/traces.md lists them
    json j;
    j["format"] = "iomc-trace";
    j["version"] = format_version;
    json model;
    model["file"] = ts.info().file;
    model["model_id"] = fmt::format("{:016x}", ts.model_id());
    model["variant"] = ts.info().variant.empty() ? json(nullptr) : json(ts.info().variant);
    model["defines"] = ts.info().defines;
    model["constants"] = constants_json<json>(ts.info());
    j["model"] = model;
    const auto& v = cx.violation;
    json vio;
    vio["property"] = ts.property(v.property).name;
    vio["kind"] = kind_name(v.kind);
    vio["description"] = describe(ts, v);
    if (v.kind == ViolationKind::lasso) {
        vio["check"] = v.check;
        vio["binding"] = ts.property(v.property).goals.at(v.check).binding;
        vio["cycle_start"] = v.cycle_start;
        vio["trigger_at"] = v.trigger_at;
        vio["fairness"] = v.strong_fairness ? "strong" : "weak";
    }
    if (v.kind == ViolationKind::deadlock && v.wait_cycle) vio["wait_cycle"] = true;
    if (v.kind == ViolationKind::in_state) {
        vio["check"] = v.check;
        vio["binding"] = ts.property(v.property).checks.at(v.check).binding;
        vio["eval_error"] = v.eval_error;
        json values = json::object();
        for (const auto s : ts.property(v.property).checks.at(v.check).reads.to_vector())
            values[ts.layout().slot(s).name] = slot_value(ts, s, r.states.back().data());
        vio["values"] = values;
    }
    j["violation"] = vio;
    json steps = json::array();
    for (std::size_t i = 0; i < r.steps.size(); ++i) steps.push_back(step_json<json>(ts, r, i, true));
    j["steps"] = steps;
    return j.dump(2) + "\n";
}

std::optional<StoredTrace> parse_trace_json(const std::string& text, std::string& error) {
    using nlohmann::json;
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        const auto [line, col] = line_col(text, e.byte == 0 ? 0 : e.byte - 1);
        std::string what = e.what();
        // nlohmann's text: "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
        if (auto p = what.find(": "); p != std::string::npos) what = what.substr(p + 2);
        if (auto p = what.find(": "); p != std::string::npos && what.rfind("syntax error", 0) != 0) what = what.substr(p + 2);
        error = fmt::format("{}:{}: not valid JSON: {}", line, col, what);
        return std::nullopt;
    } catch (const json::exception& e) {
        // A number too large for a double (1e999) is an out_of_range error, without a position:
        // "[json.exception.out_of_range.406] number overflow parsing '1e999'".
        std::string what = e.what();
        if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
        error = fmt::format("not valid JSON: {}", what);
        return std::nullopt;
    }
    auto need = [&](const json& obj, const char* key, json::value_t type, const char* where) -> const json* {
        if (!obj.is_object() || !obj.contains(key)) {
            error = fmt::format("{}: missing field '{}'", where, key);
            return nullptr;
        }
        const json& v = obj.at(key);
        const bool ok = v.type() == type ||
                        (type == json::value_t::number_unsigned && v.type() == json::value_t::number_integer &&
                         v.get<std::int64_t>() >= 0);
        if (!ok) {
            error = fmt::format("{}: field '{}' has the wrong type ({})", where, key, v.type_name());
            return nullptr;
        }
        return &v;
    };
    // A number that must fit 32 bits (a group, an outcome, a check): never truncated.
    auto need_u32 = [&](const json& obj, const char* key, const char* where) -> std::optional<std::uint32_t> {
        const json* v = need(obj, key, json::value_t::number_unsigned, where);
        if (!v) return std::nullopt;
        const auto n = v->get<std::uint64_t>();
        if (n > std::numeric_limits<std::uint32_t>::max()) {
            error = fmt::format("{}: field '{}' is out of range ({}; at most {})", where, key, n,
                                std::numeric_limits<std::uint32_t>::max());
            return std::nullopt;
        }
        return static_cast<std::uint32_t>(n);
    };
    StoredTrace t;
    const json* f = need(j, "format", json::value_t::string, "trace");
    if (!f) return std::nullopt;
    if (f->get<std::string>() != "iomc-trace") {
        error = fmt::format("trace: format is '{}', not 'iomc-trace'", f->get<std::string>());
        return std::nullopt;
    }
    const json* ver = need(j, "version", json::value_t::number_unsigned, "trace");
    if (!ver) return std::nullopt;
    if (ver->get<std::uint64_t>() != format_version) {
        error = fmt::format("trace: version {} is not supported (this iomc reads version {})", ver->get<std::uint64_t>(),
                            format_version);
        return std::nullopt;
    }
    const json* model = need(j, "model", json::value_t::object, "trace");
    if (!model) return std::nullopt;
    const json* file = need(*model, "file", json::value_t::string, "model");
    const json* id = file ? need(*model, "model_id", json::value_t::string, "model") : nullptr;
    if (!file || !id) return std::nullopt;
    t.model_file = file->get<std::string>();
    // 1 to 16 hex digits and nothing else (std::stoull would take " -ff" and wrap it around).
    const std::string id_text = id->get<std::string>();
    if (id_text.empty() || id_text.size() > 16 ||
        id_text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
        error = fmt::format("model: model_id '{}' is not a hexadecimal number", id_text);
        return std::nullopt;
    }
    t.model_id = std::stoull(id_text, nullptr, 16);
    if (model->contains("variant") && model->at("variant").is_string()) t.variant = model->at("variant").get<std::string>();
    if (model->contains("defines")) {
        const json& d = model->at("defines");
        if (!d.is_array()) {
            error = "model: field 'defines' has the wrong type";
            return std::nullopt;
        }
        for (const auto& x : d) {
            if (!x.is_string()) {
                error = "model: 'defines' must hold strings";
                return std::nullopt;
            }
            t.defines.push_back(x.get<std::string>());
        }
    }
    const json* vio = need(j, "violation", json::value_t::object, "trace");
    if (!vio) return std::nullopt;
    const json* prop = need(*vio, "property", json::value_t::string, "violation");
    const json* kind = prop ? need(*vio, "kind", json::value_t::string, "violation") : nullptr;
    if (!prop || !kind) return std::nullopt;
    t.property = prop->get<std::string>();
    const auto k = kind->get<std::string>();
    if (k == "step") t.kind = ViolationKind::on_step;
    else if (k == "state") t.kind = ViolationKind::in_state;
    else if (k == "deadlock") t.kind = ViolationKind::deadlock;
    else if (k == "lasso") t.kind = ViolationKind::lasso;
    else {
        error = fmt::format("violation: kind '{}' is not one of step, state, deadlock, lasso", k);
        return std::nullopt;
    }
    if (t.kind == ViolationKind::lasso) {
        const json* chk = need(*vio, "check", json::value_t::number_unsigned, "violation");
        const json* cs = chk ? need(*vio, "cycle_start", json::value_t::number_unsigned, "violation") : nullptr;
        const json* ta = cs ? need(*vio, "trigger_at", json::value_t::number_unsigned, "violation") : nullptr;
        if (!ta) return std::nullopt;
        t.check = chk->get<std::uint32_t>();
        t.cycle_start = cs->get<std::uint32_t>();
        t.trigger_at = ta->get<std::uint32_t>();
        if (vio->contains("fairness") && vio->at("fairness").is_string())
            t.strong_fairness = vio->at("fairness").get<std::string>() == "strong";
    }
    if (t.kind == ViolationKind::deadlock && vio->contains("wait_cycle") && vio->at("wait_cycle").is_boolean())
        t.wait_cycle = vio->at("wait_cycle").get<bool>();
    if (t.kind == ViolationKind::in_state) {
        const auto chk = need_u32(*vio, "check", "violation");
        if (!chk) return std::nullopt;
        t.check = *chk;
        if (vio->contains("eval_error") && vio->at("eval_error").is_boolean()) t.eval_error = vio->at("eval_error").get<bool>();
    }
    const json* steps = need(j, "steps", json::value_t::array, "trace");
    if (!steps) return std::nullopt;
    for (std::size_t i = 0; i < steps->size(); ++i) {
        const json& s = steps->at(i);
        const std::string where = fmt::format("step {}", i + 1);
        const auto g = need_u32(s, "group", where.c_str());
        const auto o = g ? need_u32(s, "outcome", where.c_str()) : std::nullopt;
        const json* p = o ? need(s, "process", json::value_t::string, where.c_str()) : nullptr;
        const json* l = p ? need(s, "location", json::value_t::string, where.c_str()) : nullptr;
        const json* st = l ? need(s, "statement", json::value_t::string, where.c_str()) : nullptr;
        if (!st) return std::nullopt;
        t.steps.push_back(StoredStep{*g, *o, p->get<std::string>(), l->get<std::string>(), st->get<std::string>()});
    }
    return t;
}

}  // namespace iomc::traces
