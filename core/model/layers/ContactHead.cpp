#include "model/layers/ContactHead.h"

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
    for (int h = 0; h < heads_; ++h) {
        layerCopy.headInto(0, h, head_);
        const auto a = head_.block(first_, first_, n, n);
        const Index k = static_cast<Index>(layer) * heads_ + h;
        weighted_.noalias() += weight_(k) * a;
        sums_.col(k) = a.rowwise().sum() + a.colwise().sum().transpose();
        scale_(k) = weight_(k) / sums_.col(k).sum();
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

} // namespace attn
