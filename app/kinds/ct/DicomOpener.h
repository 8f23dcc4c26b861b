#pragma once
/// @file DicomOpener.h
/// Opening a DICOM folder in the background: scan (headers of every file), ask which series
/// when there are several, build the volume; progress and Cancel through a BackgroundJob.
/// A failure or a cancel leaves whatever was shown before untouched.

#include "dicom/DicomSeries.h"
#include "common/BackgroundJob.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace attn::kinds {

using widgets::BackgroundJob;

/// A loaded series, ready for the views.
struct LoadedStudy {
    std::shared_ptr<const Volume> volume;
    QString name;                       ///< Series description (or UID) and folder.
    QString seriesUid;                  ///< SeriesInstanceUID.
    QString frameOfReferenceUid;        ///< FrameOfReferenceUID (of its first file).
    QString detailsHtml;                ///< Patient, date, modality, size, spacing.
    std::vector<std::string> warnings;  ///< Skipped files and gaps, each naming a file.
};

/// Scans and loads DICOM folders.
class DicomOpener : public QObject {
    Q_OBJECT
public:
    /// Picks a series among several (returns its index, or -1 to cancel).
    using SeriesChooser = std::function<int(const std::vector<DicomSeriesInfo>&)>;

    explicit DicomOpener(QObject* parent = nullptr);

    /// Starts opening a folder.
    void open(const QString& folder);
    /// Replaces the series chooser (the default asks with a dialog).
    void setSeriesChooser(SeriesChooser chooser) { chooser_ = std::move(chooser); }
    /// The series chooser.
    const SeriesChooser& seriesChooser() const { return chooser_; }
    /// The job (progress, cancel, wait).
    BackgroundJob& job() { return job_; }

signals:
    /// A series was loaded.
    void loaded(const attn::kinds::LoadedStudy& study);
    /// Opening failed; the message names the folder or file.
    void failed(const QString& message);

private:
    void onScanned();
    void load(const DicomSeriesInfo& series);

    BackgroundJob job_;
    SeriesChooser chooser_;
    QString folder_;
    std::shared_ptr<DicomScan> scan_;
    std::shared_ptr<LoadedStudy> study_;
    enum class Stage { Idle, Scanning, Loading } stage_ = Stage::Idle;
};

/// One line per series for a chooser: description, modality, size, date.
QString seriesLabel(const DicomSeriesInfo& series);

} // namespace attn::kinds
