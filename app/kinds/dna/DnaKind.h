#pragma once
/// @file DnaKind.h
/// DNA sequences: a FASTA record (or a window of it) run through a sequence model
/// (torch_encoder or bert, per-base or k-mer tokens); its own figure is the sequence track.

#include "kinds/Kind.h"
#include "model/torch_encoder/EncoderModel.h"

namespace attn::kinds {

/// The DNA kind.
class DnaKind : public Kind {
public:
    std::string name() const override { return "DNA"; }
    bool runs(const Model& model) const override;
    std::string opens() const override { return "FASTA files of DNA sequences"; }
    bool accepts(const std::filesystem::path& path) const override;
    Demo demo() const override;
    std::unique_ptr<Workspace> createWorkspace(WorkspaceHost& host) const override;
    std::unique_ptr<KindRun> run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                 const RunOptions& options) const override;
    /// Runs a sequence model on one sequence (a record, or the window's cut of it), timed: the one
    /// place a DNA run is made, for the window and the CLI (blocking; call from a worker).
    static std::unique_ptr<KindRun> runOn(const EncoderModel& model, const std::string& sequence, const std::string& name,
                                          const RunOptions& options);
    std::vector<std::string> figureViews() const override { return {"track"}; }
    void exportFigure(const std::string& view, const KindRun& run, widgets::ExplorerState& state,
                      const ExportArgs& args) const override;
};

} // namespace attn::kinds
