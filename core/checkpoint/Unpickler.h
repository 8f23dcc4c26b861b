#pragma once
/// @file Unpickler.h
/// A restricted unpickler for PyTorch checkpoints, in the spirit of PyTorch's own
/// `torch/_weights_only_unpickler.py` (torch.load(weights_only=True)): a stack machine over the
/// opcodes of pickle protocols 2 to 5 that checkpoints use, building only a PickleGraph. Globals
/// come from a fixed allow-list (TorchGlobals.cpp): tensors rebuilt over storages
/// (torch._utils._rebuild_tensor_v2 and its relatives), the storage classes, torch.Size,
/// collections.OrderedDict and argparse.Namespace (as a plain record). Any other global is
/// refused by name; nothing is ever imported or executed.

#include "checkpoint/PickleGraph.h"

#include <string>
#include <string_view>

namespace attn {

/// Unpickles `bytes` (a checkpoint's data.pkl); `source` names it in messages ("FILE: entry ...").
/// Throws FormatError naming the source and the byte offset on a malformed pickle, an opcode
/// outside the restricted set, or a global outside the allow-list (naming the global).
PickleGraph unpickle(std::string_view bytes, const std::string& source);

} // namespace attn
