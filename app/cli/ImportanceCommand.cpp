// attnscope-cli importance: every head ablated alone, and the change of the prediction's metric.

#include "cli/CliCommands.h"

#include "interpret/HeadImportance.h"
#include "io/Npy.h"
#include "kinds/KindRegistry.h"
#include "model/ModelFamily.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>

namespace attn::cli {
namespace {

using json = nlohmann::json;

/// A number for JSON: NaN (a constant sample's correlation) as null.
json number(double v)
{
    return std::isfinite(v) ? json(v) : json(nullptr);
}

json headsJson(const HeadImportance& importance)
{
    json heads = json::array();
    const auto count = static_cast<int>(importance.grid.cols());
    for (std::size_t i = 0; i < importance.details.size(); ++i) {
        const int layer = static_cast<int>(i) / count, head = static_cast<int>(i) % count;
        json h{{"layer", layer}, {"head", head}, {"importance", number(importance.grid(layer, head))}};
        for (const auto& [key, value] : importance.details[i])
            h[key] = number(value);
        heads.push_back(h);
    }
    return heads;
}

json reportJson(const ImportanceArgs& args, const HeadImportance& importance, const kinds::KindRun& run, const PredictionMetric& metric)
{
    json grid = json::array();
    for (Index l = 0; l < importance.grid.rows(); ++l)
        grid.push_back(std::vector<float>(importance.grid.row(l).data(), importance.grid.row(l).data() + importance.grid.cols()));
    json correlations;
    if (run.data.stats)
        for (const auto& [name, rho] : importanceCorrelations(importance, *run.data.stats))
            correlations[name] = number(rho);
    return {{"model", args.model}, {"input", args.choice.input}, {"metric", importance.metric},
            {"ablation", headEditKindName(importance.ablation)}, {"layers", importance.grid.rows()}, {"heads", importance.grid.cols()},
            {"prediction", metric.summary(importance.base)}, {"importance", grid}, {"per_head", headsJson(importance)},
            {"spearman_with_statistics", correlations},
            {"file", args.out}};
}

json pruningJson(const PruningCurve& curve, const ImportanceArgs& args)
{
    return {{"fractions", curve.fractions}, {"by_importance", curve.byImportance}, {"random", curve.random},
            {"random_seeds", args.seeds}, {"first_seed", args.seed}};
}

} // namespace

void importanceCommand(const ImportanceArgs& args)
{
    const HeadEditKind ablation = parseAblation(args.ablation);
    const auto model = loadModelPath(args.model);
    const kinds::Kind& kind = kinds::kindRunning(*model, args.model);
    RunOptions options;
    options.store.budgetBytes = static_cast<std::size_t>(args.budgetMb * 1e6);
    const auto run = kind.run(model, args.choice, options); // the base run: its head statistics
    reportRunWarnings(*run);
    if (!args.reference.structure.empty())
        kind.measureAgainst(*run, args.reference);
    const auto predictor = kind.predictor(model, *run);
    const HeadImportance importance = headImportance(*predictor, ablation, nullptr);
    writeNpy(args.out, {importance.grid.rows(), importance.grid.cols()}, importance.grid.data());
    json report = reportJson(args, importance, *run, predictor->metric());
    if (args.pruning)
        report["pruning"] = pruningJson(pruningCurve(*predictor, importance, args.seeds, args.seed, nullptr), args);
    if (args.json)
        std::cout << report.dump(2) << "\n";
    else
        std::cout << "importance (" << importance.metric << ", " << headEditKindName(ablation) << " ablation) written to " << args.out << "\n";
}

} // namespace attn::cli
