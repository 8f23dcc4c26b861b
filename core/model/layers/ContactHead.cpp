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
    : weight_(weight), bias_(bias), heads_(heads), first_(first), sum_(Matrix::Zero(residues, residues))
{
}

void ContactHead::addLayer(int layer, const AttentionStore& layerCopy)
{
    Matrix head;
    const Index n = sum_.rows();
    for (int h = 0; h < heads_; ++h) {
        layerCopy.headInto(0, h, head);
        const Matrix map = symmetrizedApc(head.block(first_, first_, n, n));
        sum_ += weight_(layer * heads_ + h) * map;
        if (onHead)
            onHead(layer, h, map);
    }
}

ContactHead ContactHead::meanOfHeads(int layers, int heads, Index first, Index residues)
{
    const Vector weight = Vector::Constant(static_cast<Index>(layers) * heads, 1.0f / static_cast<float>(layers * heads));
    return ContactHead(weight, 0.0f, heads, first, residues);
}

Matrix ContactHead::probabilities() const
{
    return ((-(sum_.array() + bias_)).exp() + 1.0f).inverse().matrix();
}

} // namespace attn
