#pragma once
/// @file TorchGlobals.h
/// The allow-list of the restricted unpickler (internal to core/checkpoint): which globals a
/// checkpoint may name, and what REDUCE, NEWOBJ, BUILD and BINPERSID make of them. Every value
/// made is plain data in the graph.

#include "checkpoint/PickleGraph.h"

#include <string>

namespace attn::pickle {

/// The global "module.name" as a value, or FormatError naming it when it is not allowed.
PickleRef global(PickleGraph& graph, const std::string& module, const std::string& name, const std::string& where);
/// REDUCE: the allowed callable `callable` applied to the tuple `args`.
PickleRef reduce(PickleGraph& graph, PickleRef callable, PickleRef args, const std::string& where);
/// NEWOBJ: an instance of the allowed class `cls` (argparse.Namespace, OrderedDict).
PickleRef newObject(PickleGraph& graph, PickleRef cls, PickleRef args, const std::string& where);
/// BUILD: a record's fields set from a dict; the state of a dict or a tensor is dropped.
void build(PickleGraph& graph, PickleRef target, PickleRef state, const std::string& where);
/// BINPERSID: PyTorch's storage id ('storage', class, key, location, numel) as a Storage.
PickleRef persistentLoad(PickleGraph& graph, PickleRef id, const std::string& where);

} // namespace attn::pickle
