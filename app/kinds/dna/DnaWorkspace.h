#pragma once
/// @file DnaWorkspace.h
/// The DNA kind in the window: the open FASTA file's records, the record and window
/// controls, the sequence track dock, and runs of a sequence model on the chosen record.

#include "io/FastaReader.h"
#include "kinds/Workspace.h"

#include <memory>
#include <vector>

namespace attn::widgets {
class SequenceTrackView;
}

namespace attn::kinds {

class RecordControls;

/// Records of a FASTA file and their runs.
class DnaWorkspace : public Workspace {
    Q_OBJECT
public:
    DnaWorkspace(const Kind& kind, WorkspaceHost& host);

    bool open(const QString& path) override;
    bool hasData() const override { return !records_.empty(); }
    QString dataPath() const override { return path_; }
    std::optional<InputChoice> inputChoice() const override;
    QString dataSummaryHtml() const override;
    QWidget* controls() override;
    std::vector<TitledWidget> docks() override;
    std::vector<ExportEntry> exportEntries() const override;
    void run() override;
    void modelChanged() override;
    QJsonObject saveState() const override;

protected:
    void applyState(const QJsonObject& state) override;

public:

    /// The open records.
    const std::vector<FastaRecord>& records() const { return records_; }
    /// The record and window controls.
    RecordControls* recordControls() const { return controls_; }
    /// The sequence track.
    widgets::SequenceTrackView* track() const { return track_; }

private:
    void listRecords();
    int maxBases() const;

    std::vector<FastaRecord> records_;
    QString path_;
    RecordControls* controls_;
    widgets::SequenceTrackView* track_;
    std::shared_ptr<widgets::RunData> pending_;
};

} // namespace attn::kinds
