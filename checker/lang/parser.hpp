// SPDX-License-Identifier: MIT
/// @file Recursive-descent parser for .mc files; recovers at statement and declaration
/// boundaries so one run reports several errors.
#pragma once

#include "checker/lang/ast.hpp"
#include "checker/support/diagnostic.hpp"

namespace iomc::lang {

/// Parses one file. Errors go to `sink`; the returned module holds what could be parsed.
ast::Module parse(const support::SourceManager& sm, support::FileId file,
                  support::DiagnosticSink& sink);

}  // namespace iomc::lang
