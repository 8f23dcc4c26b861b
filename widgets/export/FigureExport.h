#pragma once
/// @file FigureExport.h
/// Saving a view's figure (PNG at a chosen DPI, SVG, PDF) and its data (CSV, NPY).
/// The format follows the file's suffix; errors throw attn::IoError naming the file.
///
/// An export has two halves. takeExport() asks the view, on the GUI thread, for what the file
/// needs: its painting, recorded once (a QPicture, at the PNG's scale so that a 3D view renders
/// at the pixels it is exported at), or its data. writeExport() then writes that on any thread,
/// with progress and Cancel; the file at the path is replaced only when the new one is complete.

#include "common/FigureSource.h"

#include <QSize>
#include <QString>

#include <memory>

class QPicture;

namespace attn {
class Progress;
}

namespace attn::widgets {

/// Suffixes exportData() writes: csv, npy.
QStringList dataSuffixes();

/// What one export writes, taken from a view; no longer tied to it.
struct ExportSnapshot {
    QString path;
    QString suffix;                   ///< png, svg, pdf, csv, npy or nii.
    int dpi = 96;                     ///< PNG resolution.
    QSize size;                       ///< The figure's natural size (96 DPI units).
    QString title;                    ///< For the file's metadata.
    std::shared_ptr<QPicture> figure; ///< The painting (figure formats), scaled by dpi / 96 for PNG.
    FigureData data;                  ///< The data (csv, npy).
    std::shared_ptr<const Volume> volume; ///< The volume (nii: .nii or .nii.gz).
};

/// True for a path that names a NIfTI file (.nii or .nii.gz).
bool isNiftiPath(const QString& path);

/// Takes what exporting `source` to `path` needs (GUI thread: the view paints). Checks the
/// format and the resolution first; throws IoError naming the file.
ExportSnapshot takeExport(const FigureSource& source, const QString& path, int dpi = 300);

/// Writes a snapshot (any thread). A PNG is drawn in bands and every format is written through
/// a device that checks `progress`, so a Cancel stops it within one band or one buffer: it
/// throws Cancelled and the file at the path is as it was.
void writeExport(const ExportSnapshot& snapshot, Progress& progress);

/// Writes the figure; dpi scales PNGs (96 = natural size; text, lines and cells all scale
/// together) and is recorded in the PNG. SVG and PDF keep text and lines as vectors, at the
/// figure's size in 96-DPI units (PDF page: size * 72 / 96 points).
void exportFigure(const FigureSource& source, const QString& path, int dpi = 300);

/// Writes the figure's data as CSV (header + rows) or NPY (float32 array).
void exportData(const FigureSource& source, const QString& path);

/// Writes the figure (png, svg, pdf) or its data (csv, npy), chosen by the path's suffix.
void exportAny(const FigureSource& source, const QString& path, int dpi = 300);

} // namespace attn::widgets
