#include "cli/CliCommands.h"

#include "io/FastaReader.h"
#include "io/RunExport.h"
#include "model/EncoderModel.h"
#include "util/Error.h"

#include <chrono>
#include <iostream>

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

void checkLength(const FastaRecord& record, const Encoding& encoding, const EncoderModel& model, const std::string& input)
{
    const int maxLen = model.config().maxLen;
    check<ShapeError>(static_cast<int>(encoding.ids.size()) <= maxLen,
                      input + ": record '" + record.name + "' has " + std::to_string(record.sequence.size())
                          + " characters (" + std::to_string(encoding.ids.size()) + " tokens with [CLS]) but the model takes at most "
                          + std::to_string(maxLen) + " tokens; it is not cut silently: pass a shorter record");
}

} // namespace

void runCommand(const RunArgs& args)
{
    const RolloutOptions rollout{parseHeadFusion(args.fusion), args.discard, args.startLayer};
    const StorePlan plan = storePlan(args);
    const auto model = loadModel(args.model);
    const FastaRecord record = readFasta(args.input).front();
    const Encoding encoding = model->tokenizer().encode(record.sequence);
    checkLength(record, encoding, *model, args.input);
    if (encoding.unknownCount > 0)
        std::cerr << args.input << ": warning: " << encoding.unknownCount << " characters of record '" << record.name
                  << "' are not in the model's vocabulary and were mapped to " << model->config().tokenizer.unk << "\n";
    const auto start = std::chrono::steady_clock::now();
    const RunResult result = model->run(encoding.ids, {}, {plan, false, nullptr});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const RunDescription description{args.model, args.input, record.name, record.description, encoding.unknownCount, seconds};
    writeRunDirectory(args.out, *model, encoding.tokens, result, description, rollout);
}

} // namespace attn::cli
