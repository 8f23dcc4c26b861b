#pragma once
/// @file ProteinKind.h
/// Protein alignments and sequences: an MSA (A3M, A2M, aligned FASTA, Stockholm, Clustal) run
/// through an MSA Transformer, or one sequence through ESM. The shared attention views show the
/// tied row attention (residue x residue) or ESM's attention.

#include "interpret/ContactMetric.h"
#include "kinds/Kind.h"
#include "kinds/protein/ProteinInput.h"
#include "model/SequenceRun.h"

namespace attn::kinds {

/// A protein run: the model's outputs and the alignment it saw.
struct ProteinKindRun : KindRun {
    std::shared_ptr<const SequenceRun> outputs; ///< Column attention, logits, contacts (data.result aliases outputs->result).
    Msa msa;                                   ///< The rows as run (the one sequence for ESM).
    bool axial = false;                        ///< An MSA Transformer (row and column attention).
    std::shared_ptr<const ContactTruth> contactTruth; ///< A structure's contacts its predictor is judged against, or null.
};

/// The protein kind.
class ProteinKind : public Kind {
public:
    std::string name() const override { return "Protein"; }
    bool runs(const Model& model) const override;
    std::string opens() const override { return "protein alignments (A3M, A2M, aligned FASTA, Stockholm, Clustal), sequences and structures (PDB, mmCIF)"; }
    bool accepts(const std::filesystem::path& path) const override;
    std::vector<Demo> demos() const override;
    std::unique_ptr<Workspace> createWorkspace(WorkspaceHost& host) const override;
    std::unique_ptr<KindRun> run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                 const RunOptions& options) const override;
    /// With the run's contactTruth, judged by its contact head against the structure; else by the
    /// masked-LM likelihood of the query.
    std::unique_ptr<Predictor> predictor(const std::shared_ptr<const Model>& model, const KindRun& run) const override;
    /// Sets the run's contactTruth from the structure's chain (the first when none is named).
    void measureAgainst(KindRun& run, const AnnotationRequest& reference) const override;
    /// The truth of the structure's contacts in the query's numbering, the positions the run's model
    /// predicts over placed on it.
    static std::shared_ptr<const ContactTruth> contactTruth(const ProteinKindRun& run, Matrix truth);
    /// The structure's contacts (Cβ within 8 Å, 6 or more apart) as pairs of the query's tokens.
    std::vector<AnnotationChoice> annotationChoices(const std::string& path) const override;
    TokenAnnotations annotations(const KindRun& run, const AnnotationRequest& request) const override;
    void writeRun(const std::filesystem::path& directory, const Model& model, const KindRun& run,
                  const RunDescription& description, const RolloutOptions& rollout) const override;
    /// msa, column-attention, contacts and structure (ProteinFigures.cpp).
    std::optional<ContactPrediction> contacts(const KindRun& run) const override;
    std::vector<std::string> figureViews() const override;
    void checkFigure(const std::string& view, const ExportArgs& args) const override;
    void exportFigure(const std::string& view, const KindRun& run, widgets::ExplorerState& state, const ExportArgs& args) const override;

    /// Runs a protein model on input already read (the window's path: the alignment is open).
    static std::unique_ptr<ProteinKindRun> runOn(const std::shared_ptr<const Model>& model, ProteinInput input,
                                                 const std::string& inputPath, const RunOptions& options);
};

/// True if an alignment holds protein rather than nucleotides: at least 2 % of its letters are
/// ones no nucleotide code uses (E F I J L O P Q Z). accepts() asks the same of a file's head.
bool looksLikeProtein(const Msa& msa);

/// True if a file's head (text) is a PDB or mmCIF structure: ATOM, HETATM or HEADER records, or
/// an mmCIF data block with atom sites or structure categories. The protein kind accepts
/// structures: one opens beside the open alignment, or alone as its chain's sequence.
bool looksLikeStructure(const std::string& head);

} // namespace attn::kinds
