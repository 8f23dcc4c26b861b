#include "volume/Orientation.h"

#include "util/Error.h"

#include <array>
#include <cctype>
#include <cmath>

namespace attn {
namespace {

/// The RAS world axis (0, 1, 2) and sign each index axis follows, picked greedily by the largest
/// remaining component, as nibabel's io_orientation does.
std::array<std::pair<int, int>, 3> axesOf(const VolumeGeometry& g)
{
    Eigen::Matrix3d ras = g.direction;
    ras.row(0) *= -1.0; // LPS -> RAS
    ras.row(1) *= -1.0;
    std::array<std::pair<int, int>, 3> out{};
    std::array<bool, 3> taken{false, false, false};
    for (int j = 0; j < 3; ++j) {
        int best = -1;
        for (int w = 0; w < 3; ++w)
            if (!taken[static_cast<std::size_t>(w)] && (best < 0 || std::abs(ras(w, j)) > std::abs(ras(best, j))))
                best = w;
        taken[static_cast<std::size_t>(best)] = true;
        out[static_cast<std::size_t>(j)] = {best, ras(best, j) >= 0.0 ? 1 : -1};
    }
    return out;
}

/// A code letter as (world axis, sign) in RAS.
std::pair<int, int> axisOfLetter(char letter, const std::string& codes)
{
    switch (std::toupper(static_cast<unsigned char>(letter))) {
    case 'R': return {0, 1};
    case 'L': return {0, -1};
    case 'A': return {1, 1};
    case 'P': return {1, -1};
    case 'S': return {2, 1};
    case 'I': return {2, -1};
    default: throw FormatError("orientation \"" + codes + "\": letters must be L or R, P or A, I or S");
    }
}

} // namespace

std::string orientationCodes(const VolumeGeometry& g)
{
    static const char letters[3][2] = {{'L', 'R'}, {'P', 'A'}, {'I', 'S'}};
    std::string codes;
    for (const auto& [world, sign] : axesOf(g))
        codes += letters[world][sign > 0 ? 1 : 0];
    return codes;
}

namespace {

/// How reorient maps axes: output axis t reads input axis from[t], reversed when flip[t].
struct AxisMap {
    std::array<int, 3> from{};
    std::array<bool, 3> flip{};
};

AxisMap axisMap(const VolumeGeometry& g, const std::string& axcodes)
{
    check<FormatError>(axcodes.size() == 3, "orientation \"" + axcodes + "\": three letters are needed");
    const auto have = axesOf(g);
    AxisMap m;
    std::array<bool, 3> used{false, false, false};
    for (std::size_t t = 0; t < 3; ++t) {
        const auto [world, sign] = axisOfLetter(axcodes[t], axcodes);
        for (std::size_t j = 0; j < 3; ++j)
            if (have[j].first == world) {
                m.from[t] = static_cast<int>(j);
                m.flip[t] = have[j].second != sign;
            }
        check<FormatError>(!used[static_cast<std::size_t>(world)], "orientation \"" + axcodes + "\" names an axis twice");
        used[static_cast<std::size_t>(world)] = true;
    }
    return m;
}

VolumeGeometry mappedGeometry(const VolumeGeometry& g, const AxisMap& m)
{
    VolumeGeometry out;
    Eigen::Vector3d start = Eigen::Vector3d::Zero(); // the input index of output voxel (0, 0, 0)
    for (std::size_t t = 0; t < 3; ++t) {
        const auto j = static_cast<std::size_t>(m.from[t]);
        const auto tt = static_cast<Eigen::Index>(t), jj = static_cast<Eigen::Index>(j);
        out.size[t] = g.size[j];
        out.spacing[tt] = g.spacing[jj];
        out.direction.col(tt) = g.direction.col(jj) * (m.flip[t] ? -1.0 : 1.0);
        start[jj] = m.flip[t] ? g.size[j] - 1 : 0;
    }
    out.origin = g.indexToPatient(start);
    return out;
}

} // namespace

VolumeGeometry reorientedGeometry(const VolumeGeometry& g, const std::string& axcodes)
{
    return mappedGeometry(g, axisMap(g, axcodes));
}

Volume reorient(const Volume& v, const std::string& axcodes)
{
    const AxisMap m = axisMap(v.geometry, axcodes);
    Volume out;
    out.geometry = mappedGeometry(v.geometry, m);
    out.values.resize(v.values.size());
    const auto& s = out.geometry.size;
    std::array<int, 3> i{};
    for (int z = 0; z < s[2]; ++z)
        for (int y = 0; y < s[1]; ++y)
            for (int x = 0; x < s[0]; ++x) {
                const int o[3] = {x, y, z};
                for (std::size_t t = 0; t < 3; ++t)
                    i[static_cast<std::size_t>(m.from[t])] = m.flip[t] ? s[t] - 1 - o[t] : o[t];
                out.values[out.index(x, y, z)] = v.at(i[0], i[1], i[2]);
            }
    return out;
}

} // namespace attn
