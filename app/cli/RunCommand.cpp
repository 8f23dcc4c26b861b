#include "cli/CliCommands.h"
#include "cli/InputSelection.h"

#include "io/FastaReader.h"
#include "io/RunExport.h"
#include "model/EncoderModel.h"
#include "util/Error.h"

#include <chrono>

namespace attn::cli {
namespace {

StorePlan storePlan(const RunArgs& args)
{
    StorePlan plan;
    plan.type = parseStoreType(args.store);
    plan.layers = args.layers;
    plan.budgetBytes = static_cast<std::size_t>(args.budgetMb * 1e6);
    return plan;
}

} // namespace

void runCommand(const RunArgs& args)
{
    const RolloutOptions rollout{parseHeadFusion(args.fusion), args.discard, args.startLayer};
    const StorePlan plan = storePlan(args);
    const auto model = loadModel(args.model);
    const SelectedInput in = selectInput(args.choice, *model);
    const Encoding& encoding = in.encoding;
    const auto start = std::chrono::steady_clock::now();
    const RunResult result = model->run(encoding.ids, {}, {plan, false, nullptr});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const RunDescription description{args.model, args.choice.input, in.name, in.record.description, encoding.unknownCount, seconds};
    writeRunDirectory(args.out, *model, encoding, static_cast<int>(in.sequence.size()), result, description, rollout);
}

} // namespace attn::cli
