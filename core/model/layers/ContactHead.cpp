#include "model/layers/ContactHead.h"

#include <algorithm>
#include <cmath>

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
      sums_(Matrix::Zero(residues, weight.size())), scale_(Vector::Zero(weight.size())),
      rowSums_(Matrix::Zero(heads, residues)), columnSums_(Matrix::Zero(heads, residues))
{
}

ContactHead ContactHead::meanOfHeads(int layers, int heads, Index first, Index residues)
{
    const Vector weight = Vector::Constant(static_cast<Index>(layers) * heads, 1.0f / static_cast<float>(layers * heads));
    return ContactHead(weight, 0.0f, heads, first, residues);
}

std::size_t ContactHead::bytesNeeded(int layers, int heads, Index residues)
{
    const auto n = static_cast<std::size_t>(residues), k = static_cast<std::size_t>(layers) * static_cast<std::size_t>(heads);
    return (n * n + n * k + k + 2 * static_cast<std::size_t>(heads) * n) * sizeof(float);
}

void ContactHead::addRows(int layer, int head, Index row0, const ConstMatrixRef& rows)
{
    const Index n = weighted_.rows();
    const Index begin = std::max(row0, first_), end = std::min(row0 + rows.rows(), first_ + n);
    const float w = weight_(static_cast<Index>(layer) * heads_ + head);
    auto columnSums = columnSums_.row(head);
    for (Index t = begin; t < end; ++t) {
        const auto row = rows.row(t - row0).segment(first_, n);
        weighted_.row(t - first_) += w * row;
        rowSums_(head, t - first_) = row.sum();
        columnSums += row;
    }
}

void ContactHead::finishLayer(int layer)
{
    for (int h = 0; h < heads_; ++h) {
        const Index k = static_cast<Index>(layer) * heads_ + h;
        sums_.col(k) = (rowSums_.row(h) + columnSums_.row(h)).transpose();
        scale_(k) = weight_(k) / sums_.col(k).sum();
    }
    rowSums_.setZero();
    columnSums_.setZero();
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

RunContacts::RunContacts(const std::optional<std::pair<Vector, float>>& regression, int layers, int heads, Index residues)
    : regression_(regression.has_value()),
      head_(regression ? ContactHead(regression->first, regression->second, heads, 1, residues)
                       : ContactHead::meanOfHeads(layers, heads, 1, residues))
{
}

std::pair<Matrix, std::string> RunContacts::result() const
{
    if (regression_)
        return {head_.probabilities(), "contact head"};
    return {head_.weightedSum(), "mean over heads"};
}

} // namespace attn
