#pragma once
/// @file TorchCheckpoint.h
/// A PyTorch checkpoint (`torch.save` since PyTorch 1.6: a zip archive holding PREFIX/data.pkl
/// and the raw little-endian storages PREFIX/data/KEY), read without running anything: data.pkl
/// goes through the restricted unpickler, and tensors are made from their storages, with their
/// strides and offsets, as float32. The legacy format (before 1.6) and TorchScript archives are
/// refused with a message saying how to re-save the file.

#include "checkpoint/PickleGraph.h"
#include "io/SafeTensors.h"
#include "io/ZipArchive.h"

#include <filesystem>
#include <string>

namespace attn {

/// An opened checkpoint: its object graph, with tensors read on request.
class TorchCheckpoint {
public:
    /// Opens and unpickles the file; throws IoError if it cannot be read and FormatError naming
    /// the file (and the global or the byte) when it is not a checkpoint attnscope may read.
    explicit TorchCheckpoint(const std::filesystem::path& path);

    /// The unpickled object graph.
    const PickleGraph& graph() const { return graph_; }
    /// The state dict: the top object if it is a dict holding tensors, else the dict of tensors under
    /// its "state_dict", "model" or "module" key; throws FormatError naming the file otherwise.
    PickleRef stateDict() const;
    /// The float tensors of a dict, by name, as float32 (float16, bfloat16 and float64 storages
    /// converted; integer and boolean tensors, such as position_ids buffers, are checked and left
    /// out; entries that are not tensors are left out). Each storage is read once.
    TensorMap tensors(PickleRef dict) const;
    /// The file, for messages.
    const std::filesystem::path& path() const { return zip_.path(); }

private:
    std::string entry(const std::string& name) const { return prefix_ + name; }
    ZipArchive zip_;
    std::string prefix_; ///< The archive's top folder with its slash ("archive/").
    PickleGraph graph_;
};

/// The state dict of a checkpoint file, as float32 tensors (TorchCheckpoint::stateDict).
TensorMap readTorchStateDict(const std::filesystem::path& path);

} // namespace attn
