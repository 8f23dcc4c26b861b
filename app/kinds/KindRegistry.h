#pragma once
/// @file KindRegistry.h
/// The kinds of data attnscope knows, one line each in KindRegistry.cpp.

#include "kinds/Kind.h"

#include <string>
#include <vector>

namespace attn::kinds {

/// Every kind, in the order they are offered.
const std::vector<const Kind*>& kindRegistry();

/// The kind that runs this model; FormatError naming `modelPath` when none does.
const Kind& kindRunning(const Model& model, const std::string& modelPath);

} // namespace attn::kinds
