// SPDX-License-Identifier: MIT
/// @file Lexer: turns one SourceFile into tokens; reports bad characters to the sink.
#pragma once

#include <vector>

#include "checker/lang/token.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::lang {

/// Lexes the whole file; the result always ends with an eof token.
std::vector<Token> lex(const support::SourceManager& sm, support::FileId file,
                       support::DiagnosticSink& sink);

}  // namespace iomc::lang
