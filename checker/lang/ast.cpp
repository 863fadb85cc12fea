// SPDX-License-Identifier: MIT
#include "checker/lang/ast.hpp"

namespace iomc::lang::ast {

std::string Name::str() const {
    std::string s;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) s += "::";
        s += parts[i];
    }
    return s;
}

}  // namespace iomc::lang::ast
