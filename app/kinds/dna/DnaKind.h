#pragma once
/// @file DnaKind.h
/// DNA sequences: a FASTA record (or a window of it) run through a sequence model whose
/// vocabulary is DNA (SequenceModel.h: torch_encoder, DNABERT, the Nucleotide Transformer; per-base,
/// k-mer or greedy 6-mer tokens); its own figure is the sequence track.

#include "kinds/Kind.h"
#include "model/SequenceModel.h"

namespace attn::kinds {

/// A DNA run: what every kind keeps, and the model's own outputs (a masked LM's logits).
struct DnaKindRun : KindRun {
    std::shared_ptr<const SequenceRun> outputs; ///< data.result aliases outputs->result.
    Encoding encoding;      ///< The tokens, and the bases each covers.
    std::string sequence;   ///< The bases run (a window of the record, or all of it).
    std::string record;     ///< The record's name (BED's sequence name).
    long firstBase = 0;     ///< Where the bases run start in the record (0-based).
};

/// The DNA kind.
class DnaKind : public Kind {
public:
    std::string name() const override { return "DNA"; }
    bool runs(const Model& model) const override;
    std::string opens() const override { return "FASTA files of DNA sequences"; }
    bool accepts(const std::filesystem::path& path) const override;
    std::vector<Demo> demos() const override;
    std::unique_ptr<Workspace> createWorkspace(WorkspaceHost& host) const override;
    std::unique_ptr<KindRun> run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                 const RunOptions& options) const override;
    std::unique_ptr<Predictor> predictor(const std::shared_ptr<const Model>& model, const KindRun& run) const override;
    /// BED intervals on the record (AnnotationRequest::file) and motif occurrences, as the tokens covering them.
    TokenAnnotations annotations(const KindRun& run, const AnnotationRequest& request) const override;
    /// Every record of the FASTA file.
    std::vector<InputChoice> eachRecord(const InputChoice& choice) const override;
    /// Runs a sequence model on one sequence (a record, or the window's cut of it) already
    /// tokenised by it, timed: the one place a DNA run is made, for the window and the CLI
    /// (blocking; call from a worker).
    static std::unique_ptr<DnaKindRun> runOn(const std::shared_ptr<const SequenceModel>& model, const Encoding& encoding,
                                             const std::string& sequence, const std::string& name, const RunOptions& options);
    /// logits.npy: the classifier's [classes], or a masked LM's [T, vocab].
    void writeRun(const std::filesystem::path& directory, const Model& model, const KindRun& run,
                  const RunDescription& description, const RolloutOptions& rollout) const override;
    std::vector<std::string> figureViews() const override { return {"track"}; }
    void exportFigure(const std::string& view, const KindRun& run, widgets::ExplorerState& state,
                      const ExportArgs& args) const override;
};

} // namespace attn::kinds
