#pragma once
/// @file ExportFile.h
/// The file an export writes. Bytes go to a QSaveFile, so the file already at the path stays
/// whole until the new one is complete; once the export is cancelled the device refuses further
/// bytes, the writer in Qt (PNG, SVG, PDF) stops, and nothing replaces the old file.

#include <QIODevice>
#include <QSaveFile>

namespace attn {
class Progress;
}

namespace attn::widgets {

/// A write-only device over a QSaveFile that stops at a Cancel.
class ExportFile : public QIODevice {
public:
    /// `what` names the format in messages ("the PNG file").
    ExportFile(const QString& path, const QString& what, const Progress& progress);
    /// Opens the file for writing; throws IoError naming the file when it cannot.
    void openOrThrow();
    /// Throws Cancelled once a Cancel stopped the writing.
    void throwIfCancelled() const;
    /// Replaces the file at the path with what was written; throws Cancelled after a Cancel,
    /// IoError (naming the file) when the writing failed. Without it nothing is replaced.
    void commitOrThrow();

protected:
    qint64 readData(char* data, qint64 size) override;
    qint64 writeData(const char* data, qint64 size) override;

private:
    [[noreturn]] void fail(const QString& problem) const;

    QSaveFile file_;
    QString what_;
    const Progress& progress_;
    bool cancelled_ = false;
};

} // namespace attn::widgets
