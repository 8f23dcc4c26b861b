#pragma once
/// @file Kind.h
/// A kind of data (DNA sequences, CT studies, protein alignments and structures, EHR timelines):
/// what it runs on, how a run of a model on its input is made, and the figures only it draws.
/// The window and the CLI ask the registry (KindRegistry.h) and never name a kind; every
/// attention view reads the kind-neutral RunData a kind's run carries.

#include "interpret/Enrichment.h"
#include "interpret/Predictor.h"
#include "common/ExplorerState.h"
#include "rundir/RunExport.h"
#include "kinds/ExportArgs.h"
#include "kinds/InputChoice.h"
#include "model/Model.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <vector>

namespace attn::kinds {

class Workspace;
class WorkspaceHost;

/// A bundled demo: a model folder and the data to open with it.
struct Demo {
    std::string title;  ///< Menu and button text.
    std::string model;  ///< Model folder ("" when the resources are missing).
    std::string data;   ///< Data file or folder ("" when missing).
    std::string companion; ///< A further file opened after the data ("" none): an alignment's structure.
};

/// A finished run of one kind: what the attention views read and what meta.json says. A kind
/// derives from it to keep what its own views need (a CT study and its input grid, ...).
struct KindRun {
    virtual ~KindRun() = default;
    widgets::RunData data;       ///< Result, token axis, labels, name, thumbnails, statistics.
    RunDescription description;  ///< Input, record and timing, for meta.json.
    std::vector<std::string> warnings; ///< What the user must be told about the run (events left out, ...).
};

/// What a run predicts about residue contacts (a protein model's run), for `attnscope-cli contacts`.
struct ContactPrediction {
    Matrix contactHead;                              ///< The contact head's map, in the query's numbering [L, L].
    const AttentionStore* attention = nullptr;       ///< The heads a best single head is chosen from (in the run).
    Index residues = 0;                              ///< Positions the model predicted over (columns, or residues).
    std::function<Matrix(const Matrix&)> toQuery;    ///< A map over those positions in the query's numbering.
    std::size_t sequences = 0;                       ///< Sequences the model saw.
    std::string source = "contact head";             ///< What contactHead is: "contact head", or "mean over heads" (a model without one).
};

/// Where an enrichment's ground truth comes from (attnscope-cli enrichment; docs/enrichment.md).
struct AnnotationRequest {
    std::string file;      ///< The kind's annotation file: BED positions (DNA), code pairs (EHR), a reference mask (CT).
    std::string motif;     ///< DNA: an IUPAC consensus whose occurrences are marked.
    std::string structure; ///< Proteins: contacts and binding sites from this structure.
    std::string chain;     ///< Its chain (default: the best match to the query).
    int segment = 0;       ///< CT: the reference's segment or label value (0: the first).
    std::optional<double> level; ///< CT: a dose reference's isodose level (default: half its maximum).
    bool bindingSites = false;   ///< Proteins: the structure's binding sites (positions) instead of its contacts (pairs).
};

/// One thing an annotation file can mark, named for the window's chooser ("contacts", "binding sites").
struct AnnotationChoice {
    std::string label;
    AnnotationRequest request;
};

/// One kind of data.
class Kind {
public:
    virtual ~Kind() = default;

    /// Short name shown to users: "DNA", "CT".
    virtual std::string name() const = 0;
    /// True if this kind runs models of that family.
    virtual bool runs(const Model& model) const = 0;
    /// Reads the chosen input and runs the model on it (blocking; errors name the file).
    virtual std::unique_ptr<KindRun> run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                         const RunOptions& options) const = 0;
    /// The model and the input of a run (made by this kind), to be run again with interventions: head
    /// importance, pruning curves, the prediction panel (core/interpret/Predictor.h).
    virtual std::unique_ptr<Predictor> predictor(const std::shared_ptr<const Model>& model, const KindRun& run) const = 0;
    /// Has the predictors made after it judge the run against a reference (proteins: the contacts of
    /// `reference.structure`, chain `reference.chain`, by the contact head's long-range P@L); by
    /// default refused, with Error naming the kind.
    virtual void measureAgainst(KindRun& run, const AnnotationRequest& reference) const;
    /// After a run (on the worker), what the views that run the model again need: the run's predictor
    /// (head importance, faithfulness), and with interventions the unchanged prediction beside the
    /// changed one (comparePredictions), the changed heads, and the run's name saying "[intervened: ...]"
    /// so that every view's title and every export does.
    void finishRun(const std::shared_ptr<const Model>& model, KindRun& run, const RunOptions& options) const;
    /// The ground truth of a run's tokens for per-head enrichment; by default refused (a kind without
    /// annotations yet), with Error naming the kind.
    virtual TokenAnnotations annotations(const KindRun& run, const AnnotationRequest& request) const;
    /// What an annotation file chosen in the window can mark for this kind, each named for a chooser:
    /// by default one, the file as `file`; proteins: a structure's contacts and its binding sites when
    /// it reads as one, else a residue list.
    virtual std::vector<AnnotationChoice> annotationChoices(const std::string& path) const { return {{"", AnnotationRequest{path, {}, {}, {}, 0, {}, false}}}; }
    /// The inputs of a file, one per record, for a command that pools them (enrichment --all-records);
    /// by default the one input chosen.
    virtual std::vector<InputChoice> eachRecord(const InputChoice& choice) const { return {choice}; }
    /// What it opens, for the start page and messages: "FASTA files of DNA sequences".
    virtual std::string opens() const = 0;
    /// True if the file or folder is this kind's data, judged by its content (a FASTA header and
    /// nucleotide letters, a DICOM preamble), not by its name. Never throws.
    virtual bool accepts(const std::filesystem::path& path) const = 0;
    /// Its bundled demos, the main one first.
    virtual std::vector<Demo> demos() const = 0;
    /// Its main demo (the start page's button).
    Demo demo() const { return demos().front(); }
    /// Its workspace in a window.
    virtual std::unique_ptr<Workspace> createWorkspace(WorkspaceHost& host) const = 0;
    /// Writes a run's directory (attnscope-cli run): by default the classifier's files of
    /// RunExport.h; a kind with other outputs (alignments: row and column attention, contacts,
    /// per-token logits) says which.
    virtual void writeRun(const std::filesystem::path& directory, const Model& model, const KindRun& run,
                          const RunDescription& description, const RolloutOptions& rollout) const;
    /// What a run of this kind predicts about contacts; nullopt for a kind whose models predict none.
    virtual std::optional<ContactPrediction> contacts(const KindRun& run) const;
    /// Figures only this kind draws (export --view names), beside the shared attention views.
    virtual std::vector<std::string> figureViews() const { return {}; }
    /// Refuses, before any model runs, a figure of figureViews() that these arguments cannot make (a
    /// missing option, an output format the view has not): FormatError or ResourceError.
    virtual void checkFigure(const std::string& view, const ExportArgs& args) const;
    /// Exports one of figureViews() of a run (state: the run and the selection).
    virtual void exportFigure(const std::string& view, const KindRun& run, widgets::ExplorerState& state,
                              const ExportArgs& args) const;
};

} // namespace attn::kinds
