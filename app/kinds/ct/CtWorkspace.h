#pragma once
/// @file CtWorkspace.h
/// The CT kind in the window: the open DICOM study (loaded in the background), its slice and
/// 3D views, runs of a CT model on it, and the attention overlay. The overlay follows the head
/// selected anywhere in the window, and is computed off the GUI thread.

#include "kinds/Workspace.h"
#include "kinds/ct/CtKind.h"
#include "kinds/ct/DicomOpener.h"
#include "kinds/ct/StudyReference.h"
#include "slices/SlicesFigure.h"
#include "slices/VolumeState.h"

#include <memory>

namespace attn::kinds {

class RegionControls;
class VolumePage;

/// A DICOM study and its CT runs.
class CtWorkspace : public Workspace {
    Q_OBJECT
public:
    CtWorkspace(const Kind& kind, WorkspaceHost& host);

    bool open(const QString& path) override;
    bool hasData() const override { return volume_.volume() != nullptr; }
    QString dataPath() const override { return path_; }
    std::optional<InputChoice> inputChoice() const override;
    QString dataSummaryHtml() const override;
    std::vector<TitledWidget> tabs() override;
    /// The region and sliding-window controls of a region model (hidden otherwise).
    QWidget* controls() override;
    void modelChanged() override;
    std::vector<ExportEntry> exportEntries() const override;
    bool runsWhenReady() const override { return false; }
    std::vector<std::pair<QString, BackgroundJob*>> backgroundJobs() override;
    void run() override;
    QJsonObject saveState() const override;
    void restoreAfterRun(const QJsonObject& state) override;

    /// The study and overlay shown in the slices and in 3D.
    widgets::VolumeState& volumeState() { return volume_; }
    /// The study tab.
    VolumePage* page() const { return page_; }
    /// The DICOM loader (tests choose series and wait through it).
    DicomOpener& dicom() { return dicom_; }
    /// The overlay's background job (tests wait on it).
    BackgroundJob& overlayJob() { return overlayJob_; }
    /// The last finished run, or null.
    std::shared_ptr<const CtKindRun> lastRun() const { return run_; }
    /// Opens a reference drawn on the open study (a DICOM SEG, an RT dose, a NIfTI mask) in
    /// the background: segment 0 is the first; `level` a dose's isodose level (default: half its
    /// maximum). A failure keeps the reference shown before.
    void openReference(const QString& path, int segment = 0, std::optional<double> level = std::nullopt);
    /// The reference shown, or null.
    std::shared_ptr<const StudyReference> reference() const { return reference_; }
    /// The reference's background job (tests wait on it).
    BackgroundJob& referenceJob() { return referenceJob_; }

protected:
    void applyState(const QJsonObject& state) override;

private:
    void onLoaded(const LoadedStudy& study);
    void onRunFinished();
    void onSourceChosen();
    void updateOverlay();
    void showReference(std::shared_ptr<const StudyReference> reference);
    void onOverlayReady();
    /// The box the model sees on the slices: the last run's on this study with this model, else
    /// where a run would place it around the cursor.
    void updateRegion();

    widgets::VolumeState volume_;
    VolumePage* page_;
    RegionControls* region_;
    widgets::SlicesFigure slices_; ///< File > Export > Three planes (its planes are never shown)
    DicomOpener dicom_;
    BackgroundJob overlayJob_;
    BackgroundJob referenceJob_;
    QString path_;
    QString studyName_;
    QString seriesUid_;
    QString detailsHtml_;
    std::shared_ptr<CtKindRun> run_;
    std::shared_ptr<std::unique_ptr<CtKindRun>> pending_;
    struct PendingOverlay;
    std::shared_ptr<PendingOverlay> pendingOverlay_;
    std::shared_ptr<const StudyReference> reference_;
    std::shared_ptr<StudyReference> pendingReference_;
    std::shared_ptr<const Volume> pendingReferenceStudy_;
    StudyIdentity identity_;
    QString pendingLabel_;
    QString pendingSourceLabel_; ///< What the overlay shows, for the agreement (measured on every voxel).
    QString pendingRunName_;     ///< The run the overlay is of ("[intervened: ...]" with edits), for figure titles.
    QString pendingFolder_;
};

} // namespace attn::kinds
