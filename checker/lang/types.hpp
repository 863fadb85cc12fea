// SPDX-License-Identifier: MIT
/// @file Semantic types of the .mc language (after resolution); internal to checker/lang.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "checker/support/source.hpp"

namespace iomc::lang {

struct Type;

struct EnumInfo {
    std::string name;
    std::vector<std::string> enumerators;
    std::uint32_t table = 0;   ///< index into StateLayout::enum_names
};

struct ScalarsetInfo {
    std::string name;        ///< as declared: "Dev"
    std::string qualified;   ///< as the root file names it: "types::Dev"
    std::int64_t size = 0;
    std::uint32_t table = 0; ///< index into StateLayout::scalarset_names
    std::string size_name;   ///< the constant its size names, from the root: "types::N_DEVS" ("" for a literal)
};

struct FieldInfo {
    std::string name;
    const Type* type = nullptr;
};

/// The hidden last field of a struct with a lifetime: true once its lifetime kref dropped to
/// zero (kref_put), false again at kref_init. Traces show it as `dom.(freed)`.
inline constexpr const char* freed_field = "(freed)";

struct StructInfo {
    std::string name;
    std::vector<FieldInfo> fields;
    /// The kref field the object's life is tied to (`refs: kref(2) lifetime;`), or -1. When
    /// set, the last field is the hidden freed_field flag.
    int lifetime = -1;
};

enum class TypeKind : std::uint8_t { boolean, integer, enumeration, scalarset, mutex, kref, structure, array, none };

/// A resolved type. Types live in a TypeArena and are compared by identity of their infos.
struct Type {
    TypeKind kind = TypeKind::integer;
    std::int64_t lo = 0, hi = 0;          ///< integer range; kref: 0..bound
    bool optional = false;                ///< enumeration/scalarset admitting `none`
    bool bounded = true;                  ///< false for the type of integer expressions
    const EnumInfo* en = nullptr;
    const ScalarsetInfo* ss = nullptr;
    const StructInfo* st = nullptr;
    const Type* elem = nullptr;           ///< array element
    const Type* index = nullptr;          ///< array index type
};

/// Owns every type of one compilation.
class TypeArena {
public:
    const Type* make(Type t) {
        types_.push_back(t);
        return &types_.back();
    }
    EnumInfo* make_enum() { return &enums_.emplace_back(); }
    ScalarsetInfo* make_scalarset() { return &sets_.emplace_back(); }
    StructInfo* make_struct() { return &structs_.emplace_back(); }
    const Type* boolean();
    const Type* integer();   ///< unbounded integer expression type
    const Type* none();

private:
    std::deque<Type> types_;
    std::deque<EnumInfo> enums_;
    std::deque<ScalarsetInfo> sets_;
    std::deque<StructInfo> structs_;
    const Type* bool_ = nullptr;
    const Type* int_ = nullptr;
    const Type* none_ = nullptr;
};

/// "bool", "0..3", "Dev?", "Group[Dev]": how a type reads in messages.
std::string type_name(const Type* t);
/// Number of values of an index type (bool 2, range hi-lo+1, enum, scalarset size).
std::int64_t domain_size(const Type* t);
/// How value number `i` (0-based) of index type `ix` prints: "true", "3" (a range from its lo),
/// "dma", "2" (a scalarset).
std::string index_name(const Type* ix, std::int64_t i);
/// Number of scalar leaves (state slots) of a type.
std::uint32_t leaf_count(const Type* t);
/// True when a value of type `from` may be stored into `to` (range checks happen at run time).
bool assignable(const Type* to, const Type* from);
/// True when `a == b` type-checks.
bool comparable(const Type* a, const Type* b);

}  // namespace iomc::lang
