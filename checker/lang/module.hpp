// SPDX-License-Identifier: MIT
/// @file A loaded module (one .mc file) with its import aliases; internal to checker/lang.
#pragma once

#include <map>
#include <string>

#include "checker/lang/ast.hpp"

namespace iomc::lang {

struct Module {
    std::string canonical;                 ///< canonical path (dedup key)
    std::string display;                   ///< as diagnostics print it
    ast::Module ast;
    std::map<std::string, std::size_t> imports;  ///< alias -> module index
    bool is_root = false;
};

}  // namespace iomc::lang
