#pragma once
/// @file EhrKind.h
/// Patient records: FHIR R4 (Bundles, resources, NDJSON, bulk-export folders) and event tables
/// (MEDS CSV / TSV, other layouts through a column mapping), one subject at a time, run through
/// an ehr_encoder model; its own figures are the timeline with attention arcs and the heads'
/// attention against the time gap.

#include "kinds/Kind.h"
#include "ehr/Event.h"
#include "ehr/EventLoad.h"
#include "model/ehr_encoder/EhrModel.h"

namespace attn::kinds {

/// An EHR run: the record it ran on and how its events became tokens.
struct EhrKindRun : KindRun {
    std::shared_ptr<const EhrModel> model;         ///< The model that ran.
    std::string subject;                           ///< Its subject_id.
    std::shared_ptr<const std::vector<Event>> events; ///< Its events (static rows first, then by time).
    EhrTokens tokens;                              ///< Tokens, and which event each one is.
};

/// The EHR kind.
class EhrKind : public Kind {
public:
    std::string name() const override { return "EHR"; }
    bool runs(const Model& model) const override;
    std::string opens() const override { return "patient records (FHIR R4 JSON or NDJSON, MEDS event tables, MEDS Parquet datasets)"; }
    bool accepts(const std::filesystem::path& path) const override;
    std::vector<Demo> demos() const override;
    std::unique_ptr<Workspace> createWorkspace(WorkspaceHost& host) const override;
    std::unique_ptr<KindRun> run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                 const RunOptions& options) const override;
    std::unique_ptr<Predictor> predictor(const std::shared_ptr<const Model>& model, const KindRun& run) const override;
    /// Code pairs (AnnotationRequest::file, a two-column TSV) as the pairs of tokens whose events have
    /// those codes, in either order; shuffled within time-gap bins (days).
    TokenAnnotations annotations(const KindRun& run, const AnnotationRequest& request) const override;
    std::vector<std::string> figureViews() const override { return {"timeline", "time-gap"}; }
    void exportFigure(const std::string& view, const KindRun& run, widgets::ExplorerState& state,
                      const ExportArgs& args) const override;

    /// Runs an EHR model on an opened record (the window's path and the CLI's).
    static std::unique_ptr<EhrKindRun> runOn(std::shared_ptr<const EhrModel> model, const std::string& subject,
                                               std::shared_ptr<const std::vector<Event>> events, const RunOptions& options);
};

/// Reads the input of a choice: one subject (the first when choice.subject is empty) with the
/// column mapping it names; errors name the file.
EventLoad readPatientRecord(const InputChoice& choice);

} // namespace attn::kinds
