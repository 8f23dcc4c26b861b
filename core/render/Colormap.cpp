#include "render/Colormap.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>

namespace attn {
namespace {
#include "render/ColormapTables.inc"
} // namespace

Colormap::Colormap(std::string name, const unsigned char (*table)[3], bool diverging)
    : name_(std::move(name)), table_(table), diverging_(diverging)
{
}

const std::vector<std::string>& Colormap::names()
{
    static const std::vector<std::string> all{"viridis", "magma", "coolwarm"};
    return all;
}

Colormap Colormap::byName(const std::string& name)
{
    if (name == "viridis")
        return Colormap(name, k_viridis, false);
    if (name == "magma")
        return Colormap(name, k_magma, false);
    if (name == "coolwarm")
        return Colormap(name, k_coolwarm, true);
    throw Error("unknown colormap '" + name + "' (expected viridis, magma or coolwarm)");
}

Rgb Colormap::at(double t) const
{
    if (!(t > 0.0))
        t = 0.0;
    const auto i = static_cast<int>(std::lround(std::min(t, 1.0) * 255.0));
    return {table_[i][0], table_[i][1], table_[i][2]};
}

double ColourRange::normalise(double v) const
{
    double t = 0.0;
    if (scale == ColourScale::Log) {
        if (v <= low)
            return 0.0;
        t = (std::log10(v) - std::log10(low)) / (std::log10(high) - std::log10(low));
    } else {
        t = high > low ? (v - low) / (high - low) : 0.0;
    }
    return std::clamp(t, 0.0, 1.0);
}

double ColourRange::valueAt(double t) const
{
    if (scale == ColourScale::Log)
        return low * std::pow(high / low, t);
    return low + t * (high - low);
}

ColourRange attentionRange(double high, ColourScale scale)
{
    high = high > 0.0 ? high : 1.0;
    if (scale == ColourScale::Log)
        return {high * 1e-4, high, ColourScale::Log};
    return {0.0, high, ColourScale::Linear};
}

} // namespace attn
