#include "kinds/Kind.h"

#include "common/FigureSource.h"

#include "util/Error.h"

namespace attn::kinds {

void Kind::writeRun(const std::filesystem::path& directory, const Model& model, const KindRun& run,
                    const RunDescription& description, const RolloutOptions& rollout) const
{
    writeRunDirectory(directory, model, run.data.axis, *run.data.result, description, rollout);
}

std::optional<ContactPrediction> Kind::contacts(const KindRun&) const
{
    return std::nullopt;
}

void Kind::checkFigure(const std::string&, const ExportArgs&) const {}

TokenAnnotations Kind::annotations(const KindRun&, const AnnotationRequest&) const
{
    throw Error(name() + " runs take no enrichment annotations yet");
}

void Kind::measureAgainst(KindRun&, const AnnotationRequest& reference) const
{
    throw Error(name() + " runs are measured against no reference" + (reference.structure.empty() ? "" : ": --structure is for protein models"));
}

void Kind::finishRun(const std::shared_ptr<const Model>& model, KindRun& run, const RunOptions& options) const
{
    std::shared_ptr<const Predictor> p = predictor(model, run);
    run.data.predictor = p;
    if (options.interventions.empty())
        return;
    run.data.comparison = std::make_shared<const PredictionComparison>(comparePredictions(*p, options.interventions, options.progress));
    run.data.edits = options.interventions.edits();
    run.data.name = widgets::intervenedName(run.data.name, QString::fromStdString(options.interventions.describe()));
}

void Kind::exportFigure(const std::string& view, const KindRun&, widgets::ExplorerState&, const ExportArgs& args) const
{
    throw FormatError(args.model + ": --view " + view + " is not a view of " + name() + " runs");
}

} // namespace attn::kinds
