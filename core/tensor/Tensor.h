#pragma once
/// @file Tensor.h
/// Eigen aliases used throughout the core (float32, row-major so that a token's
/// features are contiguous, as in PyTorch) and a shaped float buffer for I/O.

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace attn {

using Index = Eigen::Index;
/// Row-major float32 matrix: rows are tokens (or queries), columns features (or keys).
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// Column vector of float32 (biases, LayerNorm parameters).
using Vector = Eigen::VectorXf;
/// Row vector of float32.
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;
/// Writable view of a row-major block.
using MatrixRef = Eigen::Ref<Matrix>;
/// Read-only view of a row-major block.
using ConstMatrixRef = Eigen::Ref<const Matrix>;

/// An n-dimensional float32 array with its shape, as loaded from or written to files.
struct Tensor {
    std::vector<std::int64_t> shape; ///< Extent of each dimension, outermost first.
    std::vector<float> data;         ///< Elements in C (row-major) order.

    /// Number of elements implied by the shape.
    std::int64_t numel() const;
    /// The shape formatted as "[a, b, c]" for messages.
    std::string shapeString() const;
    /// Views a 2-D tensor as a row-major matrix (throws ShapeError otherwise).
    Eigen::Map<const Matrix> matrix() const;
    /// Views a 1-D tensor as a vector (throws ShapeError otherwise).
    Eigen::Map<const Vector> vector() const;
};

/// Formats a shape as "[a, b, c]".
std::string shapeString(const std::vector<std::int64_t>& shape);

/// Largest element count a shape read from a file may claim: 2^40 (4 TB of float32, far beyond
/// any real file), so that products of extents never overflow.
inline constexpr std::uint64_t kMaxFileElements = std::uint64_t{1} << 40;

/// The element count of a shape read from a file. Throws FormatError, naming `where`, when an
/// extent is negative or the product exceeds kMaxFileElements. Callers then compare the bytes
/// it needs with the bytes the file has before they allocate anything.
std::uint64_t fileElementCount(const std::vector<std::int64_t>& shape, const std::string& where);

} // namespace attn
