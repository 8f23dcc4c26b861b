#include "attention/AttentionStore.h"

#include "tensor/HalfConvert.h"
#include "util/Error.h"
#include "util/MemoryPlan.h"
#include "util/SystemInfo.h"

#include <algorithm>
#include <cstdio>

namespace attn {
namespace {

std::vector<int> keptLayers(int nLayers, const std::vector<int>& requested)
{
    if (requested.empty()) {
        std::vector<int> all(static_cast<std::size_t>(nLayers));
        for (int l = 0; l < nLayers; ++l)
            all[static_cast<std::size_t>(l)] = l;
        return all;
    }
    for (int l : requested)
        check(l >= 0 && l < nLayers, "layer " + std::to_string(l) + " to keep does not exist (the model has "
                                         + std::to_string(nLayers) + " layers, numbered from 0)");
    return requested;
}

void checkBudget(const StorePlan& plan, int kept, int nHeads, Index length)
{
    const std::size_t budget = effectiveBudget(plan.budgetBytes);
    if (budget == 0 || AttentionStore::memoryNeeded(kept, nHeads, length, plan) <= budget)
        return;
    const std::size_t needed = AttentionStore::bytesNeeded(kept, nHeads, length, plan.type);
    const std::string advice = AttentionStore::advice(needed, kept, plan.type);
    throw ResourceError("the attention store would need " + sizeText(needed) + " (" + std::to_string(kept)
                        + " layers x " + std::to_string(nHeads) + " heads x " + std::to_string(length) + "^2 x "
                        + storeTypeName(plan.type) + ") but the memory budget is " + sizeText(budget) + "; "
                        + advice);
}

} // namespace

std::string AttentionStore::advice(std::size_t bytes, int keptLayers, StoreType type)
{
    if (type == StoreType::F32)
        return "use the float16 store (" + sizeText(bytes / 2) + ") or keep fewer layers";
    return "keep fewer layers (each needs " + sizeText(bytes / static_cast<std::size_t>(std::max(1, keptLayers))) + ")";
}

StoreType parseStoreType(const std::string& name)
{
    if (name == "f32")
        return StoreType::F32;
    if (name == "f16")
        return StoreType::F16;
    throw Error("unknown attention store type '" + name + "' (expected f32 or f16)");
}

std::string storeTypeName(StoreType type)
{
    return type == StoreType::F32 ? "f32" : "f16";
}

std::size_t AttentionStore::bytesNeeded(int keptLayers, int nHeads, Index length, StoreType type)
{
    const std::size_t elements = static_cast<std::size_t>(keptLayers) * static_cast<std::size_t>(nHeads)
        * static_cast<std::size_t>(length) * static_cast<std::size_t>(length);
    return elements * (type == StoreType::F32 ? sizeof(float) : sizeof(Eigen::half));
}

AttentionStore::AttentionStore(int nLayers, int nHeads, Index length, const StorePlan& plan)
    : nLayers_(nLayers), nHeads_(nHeads), length_(length), type_(plan.type),
      slots_(static_cast<std::size_t>(nLayers), -1)
{
    check(nLayers > 0 && nHeads > 0 && length > 0, "an attention store needs at least one layer, head and token");
    const std::vector<int> kept = plan.keepNone ? std::vector<int>{} : keptLayers(nLayers, plan.layers);
    const int count = static_cast<int>(kept.size());
    checkBudget(plan, count, nHeads, length);
    int slots = 0;
    for (int layer : kept)
        if (slots_[static_cast<std::size_t>(layer)] < 0)
            slots_[static_cast<std::size_t>(layer)] = slots++;
    const std::size_t bytes = bytesNeeded(1, nHeads, length, type_);
    if (plan.diskDirectory.empty())
        buffers_ = LargeBuffer::many(static_cast<std::size_t>(slots), bytes);
    else
        for (int s = 0; s < slots; ++s)
            buffers_.push_back(LargeBuffer::onDisk(bytes, plan.diskDirectory));
    if (!buffers_.empty())
        buffers_.front().prefault();
    scoreSpread_.assign(static_cast<std::size_t>(nLayers) * static_cast<std::size_t>(nHeads)
                            * static_cast<std::size_t>(length), 0.0f);
}

std::size_t AttentionStore::memoryNeeded(int keptLayers, int nHeads, Index length, const StorePlan& plan)
{
    const int inMemory = plan.diskDirectory.empty() ? keptLayers : std::min(keptLayers, kLayersInMemoryOnDisk);
    return bytesNeeded(inMemory, nHeads, length, plan.type);
}

void AttentionStore::finishLayer(int layer)
{
    if (!isOnDisk() || !hasLayer(layer))
        return;
    const int s = slot(layer);
    buffers_[static_cast<std::size_t>(s)].startWriteBack();
    if (writingOut_ >= 0)
        buffers_[static_cast<std::size_t>(writingOut_)].dropFromMemory();
    writingOut_ = s;
    if (static_cast<std::size_t>(s) + 1 < buffers_.size())
        buffers_[static_cast<std::size_t>(s) + 1].prefault();
}

bool AttentionStore::hasLayer(int layer) const
{
    return layer >= 0 && layer < nLayers_ && slots_[static_cast<std::size_t>(layer)] >= 0;
}

int AttentionStore::slot(int layer) const
{
    check(hasLayer(layer), "attention of layer " + std::to_string(layer) + " was not kept in this run");
    return slots_[static_cast<std::size_t>(layer)];
}

float* AttentionStore::f32(int layer) const
{
    return static_cast<float*>(buffers_[static_cast<std::size_t>(slot(layer))].data());
}

Eigen::half* AttentionStore::f16(int layer) const
{
    return static_cast<Eigen::half*>(buffers_[static_cast<std::size_t>(slot(layer))].data());
}

std::size_t AttentionStore::bytes() const
{
    return bytesNeeded(static_cast<int>(buffers_.size()), nHeads_, length_, type_);
}

std::size_t AttentionStore::offset(int head, Index query) const
{
    return (static_cast<std::size_t>(head) * static_cast<std::size_t>(length_) + static_cast<std::size_t>(query))
        * static_cast<std::size_t>(length_);
}

void AttentionStore::writeRows(int layer, int head, Index row0, const ConstMatrixRef& rows)
{
    if (!hasLayer(layer))
        return;
    const std::size_t at = offset(head, row0);
    if (type_ == StoreType::F32)
        Eigen::Map<Matrix>(f32(layer) + at, rows.rows(), length_) = rows;
    else
        for (Index r = 0; r < rows.rows(); ++r) // rows may be a strided block: convert row by row
            floatToHalf(rows.row(r).data(), f16(layer) + at + static_cast<std::size_t>(r * length_),
                        static_cast<std::size_t>(length_));
}

Matrix AttentionStore::head(int layer, int head) const
{
    check(head >= 0 && head < nHeads_, "head " + std::to_string(head) + " does not exist");
    const std::size_t at = offset(head, 0);
    if (type_ == StoreType::F32)
        return Eigen::Map<const Matrix>(f32(layer) + at, length_, length_);
    Matrix m(length_, length_);
    halfToFloat(f16(layer) + at, m.data(), static_cast<std::size_t>(length_ * length_));
    return m;
}

void AttentionStore::headInto(int layer, int head, Matrix& out) const
{
    check(head >= 0 && head < nHeads_, "head " + std::to_string(head) + " does not exist");
    out.resize(length_, length_);
    const std::size_t at = offset(head, 0);
    if (type_ == StoreType::F32)
        out = Eigen::Map<const Matrix>(f32(layer) + at, length_, length_);
    else
        halfToFloat(f16(layer) + at, out.data(), static_cast<std::size_t>(length_ * length_));
}

RowVector AttentionStore::row(int layer, int head, Index query) const
{
    RowVector r(length_);
    rowsInto(layer, head, query, 1, r.data());
    return r;
}

void AttentionStore::rowsInto(int layer, int head, Index row0, Index rows, float* dst) const
{
    check(head >= 0 && head < nHeads_ && row0 >= 0 && rows >= 0 && row0 + rows <= length_,
          "rows " + std::to_string(row0) + " to " + std::to_string(row0 + rows) + " of head " + std::to_string(head)
              + " do not exist");
    const std::size_t at = offset(head, row0), n = static_cast<std::size_t>(rows * length_);
    if (type_ == StoreType::F32)
        std::copy_n(f32(layer) + at, n, dst);
    else
        halfToFloat(f16(layer) + at, dst, n);
}

float AttentionStore::weight(int layer, int head, Index query, Index key) const
{
    const std::size_t at = offset(head, query) + static_cast<std::size_t>(key);
    return type_ == StoreType::F32 ? f32(layer)[at] : static_cast<float>(f16(layer)[at]);
}

void AttentionStore::copyLayer(int layer, float* dst) const
{
    const Index n = length_ * length_;
    for (int h = 0; h < nHeads_; ++h)
        Eigen::Map<Matrix>(dst + h * n, length_, length_) = this->head(layer, h);
}

void AttentionStore::writeScoreSpread(int layer, int head, Index row0, const float* spread, Index n)
{
    const std::size_t at = (static_cast<std::size_t>(layer) * static_cast<std::size_t>(nHeads_)
                            + static_cast<std::size_t>(head)) * static_cast<std::size_t>(length_)
        + static_cast<std::size_t>(row0);
    std::copy(spread, spread + n, scoreSpread_.begin() + static_cast<std::ptrdiff_t>(at));
}

float AttentionStore::scoreSpread(int layer, int head, Index query) const
{
    check(layer >= 0 && layer < nLayers_ && head >= 0 && head < nHeads_ && query >= 0 && query < length_,
          "score spread index out of range");
    return scoreSpread_[(static_cast<std::size_t>(layer) * static_cast<std::size_t>(nHeads_)
                         + static_cast<std::size_t>(head)) * static_cast<std::size_t>(length_)
                        + static_cast<std::size_t>(query)];
}

} // namespace attn
