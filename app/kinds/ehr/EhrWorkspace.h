#pragma once
/// @file EhrWorkspace.h
/// The EHR kind in the window: the open record (read on a background job; of a MEDS Parquet
/// dataset only the subject list, each subject read when it is run), its subjects with a choice, the timeline and heads-over-time tabs, and runs of an ehr_encoder on the chosen
/// subject. The run's tokens link the shared attention views to the timeline's events.

#include "ehr/EventLoad.h"
#include "ehr/MedsDataset.h"
#include "kinds/Workspace.h"
#include "kinds/ehr/EhrKind.h"

#include <QCheckBox>
#include <QComboBox>

#include <memory>

namespace attn::widgets {
class TimelineView;
class TimeGapView;
} // namespace attn::widgets

namespace attn::kinds {

/// A patient record file or folder, and its runs.
class EhrWorkspace : public Workspace {
    Q_OBJECT
public:
    EhrWorkspace(const Kind& kind, WorkspaceHost& host);

    bool open(const QString& path) override;
    bool hasData() const override { return load_ != nullptr || meds_ != nullptr; }
    QString dataPath() const override { return path_; }
    std::optional<InputChoice> inputChoice() const override;
    QString dataSummaryHtml() const override;
    QWidget* controls() override { return controls_; }
    std::vector<TitledWidget> tabs() override;
    std::vector<ExportEntry> exportEntries() const override;
    void run() override;
    std::vector<std::pair<QString, BackgroundJob*>> backgroundJobs() override;
    QJsonObject saveState() const override;

    /// The subjects of the open record, in file order.
    const std::vector<std::string>& subjects() const { return subjects_; }
    /// Chooses a subject (runs when a model is open).
    void setSubject(const std::string& subject);
    /// The subject chosen.
    std::string subject() const;
    /// The timeline.
    widgets::TimelineView* timeline() const { return timeline_; }
    /// Heads over time.
    widgets::TimeGapView* timeGap() const { return timeGap_; }

protected:
    void applyState(const QJsonObject& state) override;

private:
    void showRun(const EhrKindRun& run);
    void makeControls();
    /// Day 0 as the align box says (calendar dates when the record has no anticoagulant).
    void applyAlignment();

    /// What was opened: a MEDS Parquet dataset (subjects listed, each loaded when it is run), or
    /// any other record, read whole.
    struct Opened {
        std::shared_ptr<const MedsDataset> meds;
        std::shared_ptr<const EventLoad> load;
        std::vector<MedsSubject> subjects;
    };
    /// Shows what a background read opened (the subjects listed, the warnings counted).
    void showOpened(const QString& path, const Opened& opened);
    std::shared_ptr<const EventLoad> load_;
    std::shared_ptr<const MedsDataset> meds_;
    std::vector<std::string> subjects_;
    QString path_;
    std::shared_ptr<std::unique_ptr<EhrKindRun>> pending_;
    QWidget* controls_;
    QComboBox* subjectBox_ = nullptr;
    QComboBox* alignBox_ = nullptr;
    QCheckBox* allHeads_ = nullptr;
    QCheckBox* compress_ = nullptr;
    widgets::TimelineView* timeline_;
    widgets::TimeGapView* timeGap_;
};

} // namespace attn::kinds
