#pragma once
/// @file FigureExport.h
/// Saving a view's figure (PNG at a chosen DPI, SVG, PDF) and its data (CSV, NPY).
/// The format follows the file's suffix; errors throw attn::IoError naming the file.

#include "common/FigureSource.h"

#include <QString>

namespace attn::widgets {

/// Suffixes exportData() writes: csv, npy.
QStringList dataSuffixes();

/// Writes the figure; dpi scales PNGs (96 = natural size; text, lines and cells all scale
/// together) and is recorded in the PNG. SVG and PDF keep text and lines as vectors, at the
/// figure's size in 96-DPI units (PDF page: size * 72 / 96 points).
void exportFigure(const FigureSource& source, const QString& path, int dpi = 300);

/// Writes the figure's data as CSV (header + rows) or NPY (float32 array).
void exportData(const FigureSource& source, const QString& path);

/// Writes the figure (png, svg, pdf) or its data (csv, npy), chosen by the path's suffix.
void exportAny(const FigureSource& source, const QString& path, int dpi = 300);

} // namespace attn::widgets
