#include "model/layers/ContactHead.h"

#include <cmath>
#include <vector>

namespace attn {

Matrix symmetrizedApc(const ConstMatrixRef& attention)
{
    Matrix f = attention + attention.transpose();
    const Eigen::VectorXf rowSums = f.rowwise().sum();
    const RowVector columnSums = f.colwise().sum();
    const float total = f.sum();
    f.noalias() -= (rowSums * columnSums) / total;
    return f;
}

Matrix headContactMap(const AttentionStore& store, int layer, int head, Index first, Index residues)
{
    return symmetrizedApc(store.head(layer, head).block(first, first, residues, residues));
}

ContactHead::ContactHead(const Vector& weight, float bias, int heads, Index first, Index residues)
    : weight_(weight), bias_(bias), heads_(heads), first_(first), weighted_(Matrix::Zero(residues, residues)),
      sums_(Matrix::Zero(residues, weight.size())), scale_(Vector::Zero(weight.size()))
{
}

ContactHead ContactHead::meanOfHeads(int layers, int heads, Index first, Index residues)
{
    const Vector weight = Vector::Constant(static_cast<Index>(layers) * heads, 1.0f / static_cast<float>(layers * heads));
    return ContactHead(weight, 0.0f, heads, first, residues);
}

void ContactHead::addLayer(int layer, const AttentionStore& layerCopy)
{
    const Index n = weighted_.rows();
    constexpr Index kChunks = 8; // fixed, so that the sums do not depend on the thread count
    std::vector<Eigen::Map<const Matrix>> heads;
    for (int h = 0; h < heads_; ++h)
        heads.push_back(layerCopy.headInPlace(0, h));
    const auto w = weight_.segment(static_cast<Index>(layer) * heads_, heads_);
    Matrix rowSums(heads_, n);
    std::vector<Matrix> columnParts(static_cast<std::size_t>(kChunks));
    // One pass over the layer, a row of every head at a time (the row of the weighted sum stays in
    // L1 across the heads): the weighted sum, each head's row sums and column sums. Each entry is
    // summed in the same order as head by head, so the result is the same to the bit.
#pragma omp parallel for schedule(static)
    for (Index c = 0; c < kChunks; ++c) {
        Matrix part = Matrix::Zero(heads_, n);
        for (Index i = c * n / kChunks; i < (c + 1) * n / kChunks; ++i)
            for (int h = 0; h < heads_; ++h) {
                const auto row = heads[static_cast<std::size_t>(h)].row(first_ + i).segment(first_, n);
                weighted_.row(i) += w(h) * row;
                rowSums(h, i) = row.sum();
                part.row(h) += row;
            }
        columnParts[static_cast<std::size_t>(c)] = std::move(part);
    }
    for (int h = 0; h < heads_; ++h) {
        RowVector columnSums = RowVector::Zero(n);
        for (const Matrix& part : columnParts)
            columnSums += part.row(h);
        const Index k = static_cast<Index>(layer) * heads_ + h;
        sums_.col(k) = (rowSums.row(h) + columnSums).transpose();
        scale_(k) = w(h) / sums_.col(k).sum();
    }
}

Matrix ContactHead::weightedSum() const
{
    Matrix s = weighted_ + weighted_.transpose();
    s.noalias() -= sums_ * scale_.asDiagonal() * sums_.transpose();
    return s.array() + bias_;
}

Matrix ContactHead::probabilities() const
{
    return ((-weightedSum().array()).exp() + 1.0f).inverse().matrix();
}

RunContacts::RunContacts(const std::optional<std::pair<Vector, float>>& regression, int layers, int heads, Index tokens, Index residues)
    : regression_(regression.has_value()), layerCopy_(1, heads, tokens, StorePlan{}),
      head_(regression ? ContactHead(regression->first, regression->second, heads, 1, residues)
                       : ContactHead::meanOfHeads(layers, heads, 1, residues))
{
}

std::size_t RunContacts::bytesNeeded(int heads, Index tokens)
{
    const auto n = static_cast<std::size_t>(tokens);
    return (static_cast<std::size_t>(heads) + 2) * n * n * sizeof(float);
}

std::pair<Matrix, std::string> RunContacts::result() const
{
    if (regression_)
        return {head_.probabilities(), "contact head"};
    return {head_.weightedSum(), "mean over heads"};
}

} // namespace attn
