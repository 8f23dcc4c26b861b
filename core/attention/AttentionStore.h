#pragma once
/// @file AttentionStore.h
/// The softmax attention weights of a run: per kept layer, per head, a query x key
/// matrix, stored as float32 or float16. Its size is known before the run.

#include "tensor/Tensor.h"
#include "util/LargeBuffer.h"

#include <Eigen/Core>

#include <cstddef>
#include <string>
#include <vector>

namespace attn {

/// Element type of the attention store.
enum class StoreType { F32, F16 };

/// Parses "f32" / "f16"; throws Error otherwise.
StoreType parseStoreType(const std::string& name);
/// "f32" or "f16".
std::string storeTypeName(StoreType type);

/// What to keep of a run's attention and how much memory it may use.
struct StorePlan {
    StoreType type = StoreType::F32;  ///< Element type.
    std::vector<int> layers;          ///< Layers to keep; empty keeps all (unless keepNone).
    std::size_t budgetBytes = 0;      ///< Memory budget of the whole run (the store, activations and the rest of its MemoryPlan); 0 means half of physical memory.
    std::string diskDirectory;        ///< Empty: the store is in memory. Else a directory (on a disk, not tmpfs) where the
                                      ///< store lives in temporary files: each finished layer is written out and leaves memory.
    bool keepNone = false;            ///< Keep no attention at all: a run whose output alone is wanted (an intervention's).
};

/// Per-layer, per-head attention matrices of one run. Rows of different heads and
/// query blocks may be written concurrently (they never overlap).
class AttentionStore {
public:
    AttentionStore() = default;
    /// Allocates storage for the plan's layers; throws ResourceError when the store
    /// would exceed the plan's budget, with a suggestion.
    AttentionStore(int nLayers, int nHeads, Index length, const StorePlan& plan);

    /// How to make a store of `bytes` smaller: the float16 store, or fewer layers.
    static std::string advice(std::size_t bytes, int keptLayers, StoreType type);
    /// Bytes a store with these extents needs.
    static std::size_t bytesNeeded(int keptLayers, int nHeads, Index length, StoreType type);
    /// Layers a store on disk holds in memory at most: the one being written, the one being written
    /// out, the one leaving the page cache.
    static constexpr int kLayersInMemoryOnDisk = 3;
    /// The memory such a store holds at most: all of it, or on disk (`plan.diskDirectory`)
    /// kLayersInMemoryOnDisk layers.
    static std::size_t memoryNeeded(int keptLayers, int nHeads, Index length, const StorePlan& plan);

    /// True if layer `layer` is kept.
    bool hasLayer(int layer) const;
    /// True when no layer is kept (StorePlan::keepNone): kernels then skip the store entirely.
    bool keepsNothing() const { return buffers_.empty(); }
    /// Number of layers of the model (kept or not).
    int layers() const { return nLayers_; }
    /// Heads per layer.
    int heads() const { return nHeads_; }
    /// Tokens per sequence (queries = keys).
    Index length() const { return length_; }
    /// Element type.
    StoreType type() const { return type_; }
    /// Bytes held (in memory, or on disk).
    std::size_t bytes() const;
    /// True when the store lives in files (StorePlan::diskDirectory).
    bool isOnDisk() const { return !buffers_.empty() && buffers_.front().isOnDisk(); }

    /// Says that every row of layer `layer` has been written. On disk, the layer starts going out
    /// to its file, the layer finished before it leaves memory once written, and the next kept
    /// layer is mapped; in memory, nothing. Reading a layer later reads it back.
    void finishLayer(int layer);

    /// Stores rows [row0, row0 + rows.rows()) of one head's matrix (no-op for a layer not kept).
    void writeRows(int layer, int head, Index row0, const ConstMatrixRef& rows);
    /// One head's query x key matrix as float32.
    Matrix head(int layer, int head) const;
    /// A single weight.
    float weight(int layer, int head, Index query, Index key) const;
    /// Copies a head into `out`, reusing its memory when it already has the size (views that
    /// switch heads then touch no fresh pages).
    void headInto(int layer, int head, Matrix& out) const;
    /// One query's row of a head, [L] (O(L): views that follow a selection need no whole head).
    RowVector row(int layer, int head, Index query) const;
    /// Copies rows [row0, row0 + rows) of a head, rows * L floats, into dst (views that pool or
    /// crop a head read it a few rows at a time and never hold all of it as float32).
    void rowsInto(int layer, int head, Index row0, Index rows, float* dst) const;
    /// Copies a layer as float32 [heads, L, L] into dst.
    void copyLayer(int layer, float* dst) const;

    /// Records, for queries [row0, row0 + n), the standard deviation of each query's scaled
    /// pre-softmax scores over the keys it may attend to (every layer, kept or not).
    void writeScoreSpread(int layer, int head, Index row0, const float* spread, Index n);
    /// The recorded score spread of one query of one head (0 before it is written).
    float scoreSpread(int layer, int head, Index query) const;

private:
    std::size_t offset(int head, Index query) const;
    int slot(int layer) const;
    float* f32(int layer) const;
    Eigen::half* f16(int layer) const;

    int nLayers_ = 0;
    int nHeads_ = 0;
    Index length_ = 0;
    StoreType type_ = StoreType::F32;
    std::vector<int> slots_;            // layer -> slot index or -1
    std::vector<LargeBuffer> buffers_;  // per slot, [heads, L, L] of float or Eigen::half
    std::vector<float> scoreSpread_;    // [layers, heads, L], all layers
    int writingOut_ = -1;               // on disk: the slot whose write-back finishLayer started last
};

} // namespace attn
