// Built and run at configure time by cmake/CpuTuning.cmake, once per candidate -march: prints
// Eigen's float32 GEMM rate in GFLOP/s on one thread (best of 5 products of 768 x 768 matrices
// after a cold one). A CPU that lacks the instruction set stops on SIGILL, which reads as "no".
#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cstdio>

int main()
{
    using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    constexpr int n = 768;
    const Matrix a = Matrix::Random(n, n), b = Matrix::Random(n, n);
    Matrix c(n, n);
    c.noalias() = a * b;
    double best = 1e30;
    for (int i = 0; i < 5; ++i) {
        const auto start = std::chrono::steady_clock::now();
        c.noalias() = a * b;
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::printf("%.0f", 2.0 * n * n * n / best / 1e9 + 0 * c(0, 0));
    return 0;
}
