#pragma once
/// @file Colormap.h
/// Perceptual colormaps and the mapping of values to them (linear or logarithmic).
/// Tables: matplotlib's viridis and magma (sequential) and coolwarm (diverging), generated
/// by tools/make_colormaps.py.

#include <cstdint>
#include <string>
#include <vector>

namespace attn {

/// An 8-bit RGB colour.
struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

/// A 256-entry colormap.
class Colormap {
public:
    /// Names of every colormap, the default ("viridis") first.
    static const std::vector<std::string>& names();
    /// The colormap called name; throws Error for an unknown name.
    static Colormap byName(const std::string& name);

    /// Colour at t in [0, 1] (clamped; NaN gives the lowest colour).
    Rgb at(double t) const;
    /// Name as in names().
    const std::string& name() const { return name_; }
    /// True for a diverging map (centred on a middle value).
    bool diverging() const { return diverging_; }

private:
    Colormap(std::string name, const unsigned char (*table)[3], bool diverging);
    std::string name_;
    const unsigned char (*table_)[3] = nullptr;
    bool diverging_ = false;
};

/// How values are spread over a colormap.
enum class ColourScale { Linear, Log };

/// A value range and scale: maps a value to t in [0, 1].
struct ColourRange {
    double low = 0.0;                       ///< Value at t = 0 (for Log, must be > 0).
    double high = 1.0;                      ///< Value at t = 1.
    ColourScale scale = ColourScale::Linear;

    /// t for value v, clamped to [0, 1]. Log: values at or below low map to 0.
    double normalise(double v) const;
    /// The value at t (inverse of normalise inside the range).
    double valueAt(double t) const;
};

/// Range for attention weights with maximum `high`: linear [0, high], or log over four
/// decades below high (weights under high * 1e-4 share the lowest colour).
ColourRange attentionRange(double high, ColourScale scale);

} // namespace attn
