// SPDX-License-Identifier: MIT
#include "checker/lang/types.hpp"

#include <fmt/format.h>

namespace iomc::lang {

const Type* TypeArena::boolean() {
    if (!bool_) bool_ = make(Type{TypeKind::boolean, 0, 1});
    return bool_;
}

const Type* TypeArena::integer() {
    if (!int_) {
        Type t{TypeKind::integer};
        t.bounded = false;
        int_ = make(t);
    }
    return int_;
}

const Type* TypeArena::none() {
    if (!none_) none_ = make(Type{TypeKind::none});
    return none_;
}

std::string type_name(const Type* t) {
    switch (t->kind) {
        case TypeKind::boolean: return "bool";
        case TypeKind::integer: return t->bounded ? fmt::format("{}..{}", t->lo, t->hi) : "int";
        case TypeKind::enumeration: return t->en->name + (t->optional ? "?" : "");
        case TypeKind::scalarset: return t->ss->name + (t->optional ? "?" : "");
        case TypeKind::mutex: return "mutex";
        case TypeKind::kref: return fmt::format("kref({})", t->hi);
        case TypeKind::structure: return t->st->name;
        case TypeKind::array: {
            // Print as the user writes it: element type, then dims outermost first.
            std::string dims;
            const Type* e = t;
            while (e->kind == TypeKind::array) {
                dims += "[" + type_name(e->index) + "]";
                e = e->elem;
            }
            return type_name(e) + dims;
        }
        case TypeKind::none: return "none";
    }
    return "?";
}

std::int64_t domain_size(const Type* t) {
    switch (t->kind) {
        case TypeKind::boolean: return 2;
        case TypeKind::integer: return t->hi - t->lo + 1;
        case TypeKind::enumeration: return static_cast<std::int64_t>(t->en->enumerators.size());
        case TypeKind::scalarset: return t->ss->size;
        default: return 0;
    }
}

std::string index_name(const Type* ix, std::int64_t i) {
    switch (ix->kind) {
        case TypeKind::boolean: return i ? "true" : "false";
        case TypeKind::integer: return fmt::format("{}", ix->lo + i);
        case TypeKind::enumeration: return ix->en->enumerators[static_cast<std::size_t>(i)];
        default: return fmt::format("{}", i);
    }
}

std::uint32_t leaf_count(const Type* t) {
    switch (t->kind) {
        case TypeKind::structure: {
            std::uint32_t n = 0;
            for (const auto& f : t->st->fields) n += leaf_count(f.type);
            return n;
        }
        case TypeKind::array: return static_cast<std::uint32_t>(domain_size(t->index)) * leaf_count(t->elem);
        default: return 1;
    }
}

bool assignable(const Type* to, const Type* from) {
    switch (to->kind) {
        case TypeKind::boolean: return from->kind == TypeKind::boolean;
        case TypeKind::integer: return from->kind == TypeKind::integer;
        case TypeKind::enumeration:
            return (from->kind == TypeKind::enumeration && from->en == to->en) ||
                   (from->kind == TypeKind::none && to->optional);
        case TypeKind::scalarset:
            return (from->kind == TypeKind::scalarset && from->ss == to->ss) ||
                   (from->kind == TypeKind::none && to->optional);
        default: return false;
    }
}

bool comparable(const Type* a, const Type* b) {
    if (a->kind == TypeKind::none) std::swap(a, b);
    if (b->kind == TypeKind::none)
        return (a->kind == TypeKind::enumeration || a->kind == TypeKind::scalarset) && a->optional;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
        case TypeKind::boolean:
        case TypeKind::integer: return true;
        case TypeKind::enumeration: return a->en == b->en;
        case TypeKind::scalarset: return a->ss == b->ss;
        default: return false;
    }
}

}  // namespace iomc::lang
