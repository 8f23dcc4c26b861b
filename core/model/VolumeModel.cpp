#include "model/VolumeModel.h"

#include <algorithm>
#include <cmath>

namespace attn {

TokenAxis volumeTokenAxis(const PatchLayout& layout, const VolumeGeometry& inputGeometry)
{
    static const char* const names[3] = {"x", "y", "z"};
    // The grid axes from the slowest in token order to the fastest.
    const std::array<int, 3> order = layout.firstAxisFastest ? std::array<int, 3>{2, 1, 0} : std::array<int, 3>{0, 1, 2};
    TokenAxis axis;
    axis.unit = "mm";
    axis.dimensions = 3;
    axis.labelColumn = "label";
    for (int a : order)
        axis.columns.push_back({names[a], {}, true, {}});
    for (const char* mm : {"x_mm", "y_mm", "z_mm"})
        axis.columns.push_back({mm, {}, false, {}});
    const auto add = [&](const std::string& label, const std::array<double, 6>& values) {
        axis.labels.push_back(label);
        axis.position.push_back({values[3], values[4], values[5]});
        for (std::size_t c = 0; c < values.size(); ++c)
            axis.columns[c].values.push_back(values[c]);
    };
    const double none = TokenAxis::kNone;
    if (layout.firstImageToken > 0)
        add("[CLS]", {none, none, none, none, none, none});
    std::array<int, 3> i{0, 0, 0}; // grid index, x y z
    for (i[order[0]] = 0; i[order[0]] < layout.grid[order[0]]; ++i[order[0]])
        for (i[order[1]] = 0; i[order[1]] < layout.grid[order[1]]; ++i[order[1]])
            for (i[order[2]] = 0; i[order[2]] < layout.grid[order[2]]; ++i[order[2]]) {
                Eigen::Vector3d index;
                for (int a = 0; a < 3; ++a)
                    index[a] = i[a] * layout.axes[a].stride + layout.axes[a].offset;
                const Eigen::Vector3d mm = inputGeometry.indexToPatient(index);
                std::string label;
                for (int k = 0; k < 3; ++k) // built in steps: GCC 12 warns (-Wrestrict) on "z" + std::string
                    label += std::string(k ? " " : "") + names[order[k]] + std::to_string(i[order[k]]);
                add(label, {double(i[order[0]]), double(i[order[1]]), double(i[order[2]]), mm.x(), mm.y(), mm.z()});
            }
    return axis;
}

std::optional<int> nearestToken(const PatchLayout& layout, const std::array<int, 3>& inputSize, const Eigen::Vector3d& u)
{
    std::array<int, 3> t{};
    for (std::size_t a = 0; a < 3; ++a) {
        const TokenGeometry& g = layout.axes[a];
        const double v = u[static_cast<int>(a)];
        if (v < -0.5 || v >= inputSize[a] - 0.5)
            return std::nullopt;
        t[a] = std::clamp(static_cast<int>(std::lround((v - g.offset) / g.stride)), 0, layout.grid[a] - 1);
    }
    return layout.firstImageToken + layout.imageToken(t[0], t[1], t[2]);
}

std::size_t inputGridOffset(const PatchLayout& layout, const std::array<int, 3>& size, int x, int y, int z)
{
    const auto n = [&size](int a) { return static_cast<std::size_t>(size[static_cast<std::size_t>(a)]); };
    const auto ux = static_cast<std::size_t>(x), uy = static_cast<std::size_t>(y), uz = static_cast<std::size_t>(z);
    return layout.firstAxisFastest ? (uz * n(1) + uy) * n(0) + ux : (ux * n(1) + uy) * n(2) + uz;
}

} // namespace attn
