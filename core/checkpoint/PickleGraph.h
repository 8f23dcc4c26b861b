#pragma once
/// @file PickleGraph.h
/// What a restricted unpickler builds: plain values, containers, plain records, and PyTorch's
/// storages and tensor views, all in one arena addressed by index (so a hostile pickle can make
/// neither a reference cycle nor a recursion deep enough to overflow the stack). Nothing in a
/// graph is a Python object: no code is named, imported or run to make it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace attn {

/// Index of a value in its PickleGraph.
using PickleRef = std::size_t;

/// The element type of a PyTorch storage, from its class (torch.FloatStorage, ...).
enum class StorageType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

/// Bytes per element of a storage type.
int storageItemSize(StorageType type);
/// True for the floating-point types, which become float32 weights.
bool isFloatStorage(StorageType type);

/// One value of the graph.
struct PickleValue {
    enum class Kind { None, Bool, Int, Float, Text, Bytes, List, Tuple, Dict, Global, Record, Storage, Tensor };
    Kind kind = Kind::None;
    std::int64_t number = 0; ///< Bool and Int; a Storage's element count; a Tensor's storage offset.
    double real = 0;         ///< Float.
    std::string text;        ///< Text and Bytes; a Global's "module.name"; a Record's class; a Storage's key.
    std::vector<PickleRef> items;                        ///< List and Tuple; a Tensor's storage (one item).
    std::vector<std::pair<PickleRef, PickleRef>> entries; ///< Dict in insertion order; a Record's fields.
    StorageType storage = StorageType::F32;               ///< Storage.
    std::vector<std::int64_t> shape, stride;              ///< Tensor.
};

/// Every value an unpickling made, and the one it returned.
class PickleGraph {
public:
    /// Adds a value and returns its index.
    PickleRef add(PickleValue value);
    /// The value at `ref`.
    const PickleValue& at(PickleRef ref) const { return values_.at(ref); }
    PickleValue& at(PickleRef ref) { return values_.at(ref); }
    /// The object the pickle returned.
    PickleRef root() const { return root_; }
    void setRoot(PickleRef ref) { root_ = ref; }
    /// The value under a text key of a Dict or a Record, if there is one.
    std::optional<PickleRef> field(PickleRef container, const std::string& key) const;
    /// True if `ref` is a Dict, or a Record, or a Tensor, ...
    bool is(PickleRef ref, PickleValue::Kind kind) const { return at(ref).kind == kind; }
    /// How many values there are.
    std::size_t size() const { return values_.size(); }

private:
    std::vector<PickleValue> values_;
    PickleRef root_ = 0;
};

} // namespace attn
