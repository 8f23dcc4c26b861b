#pragma once
/// @file ProteinViews.h
/// The protein kind's own views and how they are linked: the alignment (with the column
/// attention of the clicked column beside it), the contact map, and the 3D structure. Clicking
/// a residue in the alignment selects its token (the shared views show its row attention) and
/// its column; clicking a pair in the contact map marks its columns in the alignment and its
/// residues in 3D; the tube follows the selected head.

#include "contacts/ContactMapView.h"
#include "common/BackgroundJob.h"
#include "kinds/Workspace.h"
#include "alignment/ColumnAttentionView.h"
#include "alignment/MsaView.h"
#include "render3d/StructureView.h"
#include "structure/ProteinStructure.h"

#include <QObject>

#include <memory>

class QComboBox;

namespace attn::kinds {

struct ProteinKindRun;

/// An open structure: the file, the chain chosen, and the query on it.
struct OpenStructure {
    std::shared_ptr<const ProteinStructure> structure;
    int chain = 0;
    StructureContacts contacts;
};

/// The query (an aligned row) placed on chain `chain` of the structure.
OpenStructure placeQuery(std::shared_ptr<const ProteinStructure> structure, int chain, const std::string& queryRow);

/// Picks the chain the query matches best (most identical residues; the first on a tie).
int bestChain(const ProteinStructure& structure, const std::string& queryRow);

/// The views of an alignment, its structure and its runs.
class ProteinViews : public QObject {
    Q_OBJECT
public:
    explicit ProteinViews(widgets::ExplorerState& state);

    /// The tabs (unparented until the window takes them).
    std::vector<TitledWidget> tabs() const;
    /// Their figures for File > Export.
    std::vector<ExportEntry> exportEntries() const;

    /// A newly opened alignment (clears the run and the structure).
    void showAlignment(std::shared_ptr<const Msa> msa);
    /// A structure for the open alignment (null: none).
    void showStructure(std::shared_ptr<const OpenStructure> structure);
    /// A finished run on the alignment (null: none).
    void showRun(const ProteinKindRun* run);

    widgets::MsaView* alignment() const { return msa_; }
    widgets::ColumnAttentionView* columnAttention() const { return column_; }
    widgets::ContactMapView* contactMap() const { return contacts_; }
    widgets::StructureView* structure() const { return structure_; }
    QComboBox* contactSource() const { return source_; }
    /// What colours the tube: the selected head, or the rollout (ESM runs: one token axis).
    QComboBox* tubeSource() const { return tube_; }
    /// The alignment's analysis off the GUI thread: sequence weights, the weighted column
    /// profiles and the MI-APC baseline (about a second at 1,000 x 1,000). Until it lands the
    /// profiles are unweighted and the baseline is absent.
    widgets::BackgroundJob& analysisJob() { return analysis_; }

private:
    /// What the analysis job gives for one alignment.
    struct Analysis {
        std::shared_ptr<const Msa> msa;
        std::vector<ColumnProfile> profiles;
        Matrix baseline;
    };
    void buildAlignmentTab();
    void buildStructureTab();
    void startAnalysis();
    void showAnalysis();
    void updateContacts();
    void updateStructureValues();
    void updateStructureContacts();
    void selectPair(int i, int j);
    /// The run's token of query residue k (-1 when the run has none).
    int tokenOfResidue(std::size_t k) const;

    widgets::ExplorerState& state_;
    QWidget* alignmentTab_;
    QWidget* contactsTab_;
    QWidget* structureTab_;
    widgets::MsaView* msa_;
    widgets::ColumnAttentionView* column_;
    widgets::ContactMapView* contacts_;
    widgets::StructureView* structure_;
    QComboBox* source_;
    QComboBox* tube_;
    std::shared_ptr<const Msa> shown_;
    std::vector<std::size_t> queryColumns_;
    Matrix baseline_;
    std::shared_ptr<const OpenStructure> open_;
    const ProteinKindRun* run_ = nullptr;
    widgets::BackgroundJob analysis_;
    std::shared_ptr<Analysis> analysed_; ///< The analysis being made.
};

} // namespace attn::kinds
