// attnscope-cli faithfulness: deletion and insertion curves of one attribution source against random
// orders, ERASER's comprehensiveness and sufficiency, and how the sources rank the tokens against
// each other (docs/faithfulness.md).

#include "cli/CliCommands.h"

#include "interpret/Attributions.h"
#include "interpret/Faithfulness.h"
#include "interpret/HeadImportance.h"
#include "kinds/KindRegistry.h"
#include "model/ModelFamily.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <map>

namespace attn::cli {
namespace {

using json = nlohmann::json;

json number(double v)
{
    return std::isfinite(v) ? json(v) : json(nullptr);
}

/// Per point, the mean and standard deviation of the random orders' curves, and of their AUCs.
json band(const std::vector<std::vector<double>>& curves, const std::vector<double>& aucs)
{
    const auto [mean, sd] = curveBand(curves);
    std::vector<std::vector<double>> single;
    for (double a : aucs)
        single.push_back({a});
    const auto [aucMean, aucSd] = curveBand(single);
    return {{"mean", mean}, {"sd", sd}, {"curves", curves}, {"auc_mean", aucMean.at(0)}, {"auc_sd", aucSd.at(0)}, {"aucs", aucs}};
}

json randomJson(const Faithfulness& f)
{
    std::vector<std::vector<double>> deletion, insertion;
    std::vector<double> deletionAuc, insertionAuc, comprehensiveness, sufficiency;
    for (const FaithfulnessCurves& c : f.random) {
        deletion.push_back(c.deletion), insertion.push_back(c.insertion);
        deletionAuc.push_back(c.deletionAuc), insertionAuc.push_back(c.insertionAuc);
        comprehensiveness.push_back(c.comprehensivenessAopc), sufficiency.push_back(c.sufficiencyAopc);
    }
    return {{"seeds", f.options.seeds}, {"first_seed", f.options.seed}, {"deletion", band(deletion, deletionAuc)},
            {"insertion", band(insertion, insertionAuc)}, {"comprehensiveness_aopc", comprehensiveness}, {"sufficiency_aopc", sufficiency}};
}

json curvesJson(const FaithfulnessCurves& c)
{
    return {{"deletion", {{"curve", c.deletion}, {"auc", c.deletionAuc}}},
            {"insertion", {{"curve", c.insertion}, {"auc", c.insertionAuc}}},
            {"comprehensiveness", {{"per_bin", c.comprehensiveness}, {"aopc", c.comprehensivenessAopc}}},
            {"sufficiency", {{"per_bin", c.sufficiency}, {"aopc", c.sufficiencyAopc}}}};
}

/// Spearman's correlation of every pair of sources over the ranked tokens: {"attention~rollout": rho, ...}.
json correlationsJson(const std::map<AttributionMethod, RowVector>& scores, const std::vector<bool>& removable)
{
    json out = json::object();
    for (const SourceCorrelation& c : sourceCorrelations(scores, removable))
        out[attributionMethodName(c.a) + "~" + attributionMethodName(c.b)] = number(c.rho);
    return out;
}

void printSummary(const FaithfulnessArgs& args, const Faithfulness& f)
{
    double deletion = 0, insertion = 0;
    for (const FaithfulnessCurves& c : f.random)
        deletion += c.deletionAuc / static_cast<double>(f.random.size()), insertion += c.insertionAuc / static_cast<double>(f.random.size());
    std::cout << args.source << " (" << f.score << ", removed tokens become " << f.replacement << "): deletion AUC " << f.source.deletionAuc
              << " (random " << deletion << "), insertion AUC " << f.source.insertionAuc << " (random " << insertion
              << "), comprehensiveness AOPC " << f.source.comprehensivenessAopc << ", sufficiency AOPC " << f.source.sufficiencyAopc << "\n";
}

} // namespace

void faithfulnessCommand(const FaithfulnessArgs& args)
{
    const AttributionMethod method = parseAttributionMethod(args.source);
    const auto model = loadModelPath(args.model);
    const kinds::Kind& kind = kinds::kindRunning(*model, args.model);
    AttributionRecorder recorder;
    RunOptions options;
    options.store.budgetBytes = static_cast<std::size_t>(args.budgetMb * 1e6);
    options.recorder = &recorder;
    const auto run = kind.run(model, args.choice, options);
    reportRunWarnings(*run);
    if (!args.reference.structure.empty())
        kind.measureAgainst(*run, args.reference);
    const auto predictor = kind.predictor(model, *run);
    check(!predictor->replacement().empty(), args.model + ": removing input tokens (faithfulness) is not done for " + kind.name() + " models yet");
    const RunResult& result = *run->data.result;
    const std::map<AttributionMethod, RowVector> scores = everySourceScores(result.attention, result.keyPadding, recorder.layers(),
                                                                            predictor->readsFirstToken());
    check<FormatError>(scores.count(method) > 0, args.model + ": a " + model->family() + " model's layers are not decomposed by " + args.source
                                                     + " (only encoder layers of one attention are); --source attention and rollout work on it");
    FaithfulnessOptions o;
    o.seeds = args.seeds;
    o.seed = args.seed;
    const Faithfulness f = faithfulness(*predictor, scores.at(method), o, nullptr);
    if (!args.json)
        return printSummary(args, f);
    json report{{"model", args.model}, {"input", args.choice.input}, {"source", args.source}, {"score", f.score},
                {"replacement", f.replacement}, {"readout", predictor->readsFirstToken() ? "the first token's row" : "the mean of the tokens' rows"},
                {"base_score", f.baseScore}, {"tokens_ranked", f.removable}, {"fractions", o.fractions}, {"bins", o.bins},
                {"random", randomJson(f)}, {"spearman_between_sources", correlationsJson(scores, predictor->removable())}};
    report.update(curvesJson(f.source));
    std::cout << report.dump(2) << "\n";
}

} // namespace attn::cli
