#include "interpret/BodyMask.h"

#include "util/Error.h"

#include <deque>

namespace attn {

std::vector<std::uint8_t> bodyMask(const Volume& ct, float airLevel)
{
    const auto& s = ct.geometry.size;
    std::vector<std::uint8_t> body(ct.values.size(), 1);
    check<ShapeError>(ct.values.size() < (std::size_t{1} << 32), "a study of more than 4 billion voxels");
    std::deque<std::uint32_t> queue; // air reached from the faces: a breadth-first flood, its front only kept
    const auto visit = [&](int x, int y, int z) {
        if (x < 0 || y < 0 || z < 0 || x >= s[0] || y >= s[1] || z >= s[2])
            return;
        const std::size_t i = ct.index(x, y, z);
        if (body[i] && ct.values[i] < airLevel) {
            body[i] = 0;
            queue.push_back(static_cast<std::uint32_t>(i));
        }
    };
    for (int z = 0; z < s[2]; ++z)
        for (int y = 0; y < s[1]; ++y)
            for (int x = 0; x < s[0]; ++x)
                if (x == 0 || y == 0 || z == 0 || x == s[0] - 1 || y == s[1] - 1 || z == s[2] - 1)
                    visit(x, y, z);
    const std::size_t plane = static_cast<std::size_t>(s[0]) * static_cast<std::size_t>(s[1]);
    while (!queue.empty()) {
        const std::size_t i = queue.front();
        queue.pop_front();
        const int z = static_cast<int>(i / plane), y = static_cast<int>(i % plane / static_cast<std::size_t>(s[0])),
                  x = static_cast<int>(i % static_cast<std::size_t>(s[0]));
        visit(x - 1, y, z);
        visit(x + 1, y, z);
        visit(x, y - 1, z);
        visit(x, y + 1, z);
        visit(x, y, z - 1);
        visit(x, y, z + 1);
    }
    return body;
}

Volume maskedToBody(const Volume& overlay, const std::vector<std::uint8_t>& body)
{
    check<ShapeError>(body.size() == overlay.values.size(), "the body mask and the overlay are on different grids");
    Volume out = overlay;
    for (std::size_t i = 0; i < body.size(); ++i)
        if (!body[i])
            out.values[i] = 0.0f;
    return out;
}

} // namespace attn
