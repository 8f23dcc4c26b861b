#pragma once
/// @file ProteinWorkspace.h
/// The protein kind in the window: the open alignment (or sequences), how many sequences an MSA
/// Transformer sees and how they are chosen, and runs of the open protein model on it.

#include "kinds/Workspace.h"
#include "msa/Msa.h"

class QComboBox;
class QSpinBox;

namespace attn::kinds {

struct ProteinKindRun;

/// An alignment and its runs.
class ProteinWorkspace : public Workspace {
    Q_OBJECT
public:
    ProteinWorkspace(const Kind& kind, WorkspaceHost& host);
    ~ProteinWorkspace() override;

    bool open(const QString& path) override;
    bool hasData() const override { return !msa_.rows.empty(); }
    QString dataPath() const override { return path_; }
    QString dataSummaryHtml() const override;
    QWidget* controls() override { return controls_; }
    void run() override;
    QJsonObject saveState() const override;

    /// The open alignment as read (every row).
    const Msa& msa() const { return msa_; }
    /// The last finished run, or null.
    const ProteinKindRun* lastRun() const { return last_.get(); }
    /// Sequences an MSA Transformer sees at most (the query kept), and how they are chosen.
    QSpinBox* maxSequences() const { return maxSequences_; }
    QComboBox* subsample() const { return subsample_; }

protected:
    void applyState(const QJsonObject& state) override;

private:
    Msa msa_;
    QString path_;
    QWidget* controls_;
    QSpinBox* maxSequences_;
    QComboBox* subsample_;
    std::shared_ptr<std::unique_ptr<ProteinKindRun>> pending_;
    std::unique_ptr<ProteinKindRun> last_;
};

} // namespace attn::kinds
