#pragma once
/// @file ProteinWorkspace.h
/// The protein kind in the window: the open alignment (or sequences), how many sequences an MSA
/// Transformer sees and how they are chosen, and runs of the open protein model on it.

#include "kinds/Workspace.h"
#include "kinds/protein/ProteinViews.h"
#include "msa/Msa.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace attn::kinds {

struct ProteinKindRun;

/// An alignment, its structure and its runs.
class ProteinWorkspace : public Workspace {
    Q_OBJECT
public:
    ProteinWorkspace(const Kind& kind, WorkspaceHost& host);
    ~ProteinWorkspace() override;

    /// Opens an alignment, or a structure: beside the open alignment, or alone as the sequence
    /// of its first chain.
    bool open(const QString& path) override;
    bool hasData() const override { return !msa_.rows.empty(); }
    QString dataPath() const override { return path_; }
    std::optional<InputChoice> inputChoice() const override;
    QString dataSummaryHtml() const override;
    QWidget* controls() override { return controls_; }
    std::vector<TitledWidget> tabs() override { return views_.tabs(); }
    std::vector<ExportEntry> exportEntries() const override { return views_.exportEntries(); }
    void run() override;
    std::vector<std::pair<QString, BackgroundJob*>> backgroundJobs() override;
    /// Hides the sequence controls for ESM models, which run on the query alone.
    void modelChanged() override;
    QJsonObject saveState() const override;

    /// The open alignment as read (every row).
    const Msa& msa() const { return msa_; }
    /// The last finished run, or null.
    const ProteinKindRun* lastRun() const { return last_.get(); }
    /// Sequences an MSA Transformer sees at most (the query kept), and how they are chosen.
    QSpinBox* maxSequences() const { return maxSequences_; }
    QComboBox* subsample() const { return subsample_; }
    /// The structure's chain chosen (empty before a structure is open).
    QComboBox* chain() const { return chain_; }
    /// The open structure, or null.
    const OpenStructure* structure() const { return structure_.get(); }
    /// The linked views.
    ProteinViews& views() { return views_; }

protected:
    void applyState(const QJsonObject& state) override;

private:
    /// Shows a structure a background read opened and places the query on its best chain (or on
    /// the chain a session named); without an alignment open, the first chain's sequence becomes
    /// the alignment (a new input), else it is a companion of the open alignment.
    OpenedAs showStructure(const QString& path, std::shared_ptr<const ProteinStructure> structure);
    /// Shows an alignment a background read opened (the previous structure and run go).
    void showAlignment(const QString& path, Msa msa);
    void chooseChain(int chain);
    void showFinishedRun(); ///< A finished run shown: the state, the views, the status and the message.

    ProteinViews views_;
    Msa msa_;
    QString path_;
    QWidget* controls_;
    QSpinBox* maxSequences_;
    QComboBox* subsample_;
    QLabel* sequencesLabel_;
    QLabel* chosenLabel_;
    QPushButton* structureButton_;
    QComboBox* chain_;
    QString structurePath_;
    QString sessionChain_; ///< The chain a session restores once its structure is read, or empty.
    std::shared_ptr<const OpenStructure> structure_;
    std::shared_ptr<std::unique_ptr<ProteinKindRun>> pending_;
    std::unique_ptr<ProteinKindRun> last_;
};

} // namespace attn::kinds
