#include "cli/CliCommands.h"

#include "rundir/RunExport.h"
#include "kinds/KindRegistry.h"
#include "model/ModelFamily.h"

#include <iostream>

namespace attn::cli {
namespace {

StorePlan storePlan(const RunArgs& args)
{
    StorePlan plan;
    plan.type = parseStoreType(args.store);
    plan.layers = args.layers;
    plan.budgetBytes = static_cast<std::size_t>(args.budgetMb * 1e6);
    plan.diskDirectory = args.storeDir;
    return plan;
}

} // namespace

Interventions parseInterventions(const std::vector<std::string>& specs)
{
    std::vector<HeadEdit> edits;
    for (const std::string& spec : specs)
        edits.push_back(parseHeadEdit(spec));
    return Interventions(std::move(edits));
}

void reportRunWarnings(const kinds::KindRun& run)
{
    for (const std::string& w : run.warnings)
        std::cerr << "attnscope-cli: warning: " << w << "\n";
}

void runCommand(const RunArgs& args)
{
    const RolloutOptions rollout{parseHeadFusion(args.fusion), args.discard, args.startLayer};
    const StorePlan plan = storePlan(args);
    const auto model = loadModelPath(args.model);
    const kinds::Kind& kind = kinds::kindRunning(*model, args.model);
    RunOptions options;
    options.store = plan;
    options.interventions = parseInterventions(args.interventions);
    const auto run = kind.run(model, args.choice, options);
    reportRunWarnings(*run);
    RunDescription description = run->description;
    description.modelPath = args.model;
    description.interventions = options.interventions;
    kind.writeRun(args.out, *model, *run, description, rollout);
}

} // namespace attn::cli
