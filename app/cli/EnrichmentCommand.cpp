// attnscope-cli enrichment: per head, the share of confident attention on what the annotations mark,
// against the background, with permutation p-values and Benjamini-Hochberg q-values.

#include "cli/CliCommands.h"

#include "interpret/Enrichment.h"
#include "kinds/KindRegistry.h"
#include "model/ModelFamily.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>

namespace attn::cli {
namespace {

using json = nlohmann::json;

json optional(const std::optional<double>& v)
{
    return v ? json(*v) : json(nullptr);
}

/// Per input: the marked tokens (positions) or how many token pairs are marked (pairs).
json marksJson(const std::vector<AnnotatedRun>& runs)
{
    json out = json::array();
    for (const AnnotatedRun& r : runs) {
        if (r.annotations.ofPairs()) {
            out.push_back({{"marked_pairs", r.annotations.pairs.size()}});
            continue;
        }
        std::vector<std::size_t> tokens;
        for (std::size_t t = 0; t < r.annotations.positions.size(); ++t)
            if (r.annotations.positions[t])
                tokens.push_back(t);
        out.push_back({{"marked_tokens", tokens}});
    }
    return out;
}

json enrichmentJson(const EnrichmentArgs& args, const std::vector<HeadEnrichment>& heads, const std::vector<AnnotatedRun>& runs)
{
    json list = json::array();
    for (const HeadEnrichment& e : heads)
        list.push_back({{"layer", e.layer}, {"head", e.head}, {"share", e.share}, {"background", e.background},
                        {"count", e.count}, {"p", optional(e.p)}, {"q", optional(e.q)}});
    return {{"model", args.model}, {"input", args.choice.input}, {"annotations", args.annotations}, {"motif", args.motif},
            {"structure", args.structure}, {"binding_sites", args.bindingSites}, {"threshold", args.threshold}, {"permutations", args.permutations},
            {"seed", args.seed}, {"minimum_count", 100}, {"inputs_pooled", runs.size()}, {"marks", marksJson(runs)},
            {"heads", list}};
}

void printTable(const std::vector<HeadEnrichment>& heads)
{
    std::cout << "layer\thead\tshare\tbackground\tcount\tp\tq\n" << std::setprecision(4);
    for (const HeadEnrichment& e : heads) {
        std::cout << e.layer << '\t' << e.head << '\t' << e.share << '\t' << e.background << '\t' << e.count << '\t';
        std::cout << (e.p ? std::to_string(*e.p) : "-") << '\t' << (e.q ? std::to_string(*e.q) : "-") << '\n';
    }
}

} // namespace

void enrichmentCommand(const EnrichmentArgs& args)
{
    const auto model = loadModelPath(args.model);
    const kinds::Kind& kind = kinds::kindRunning(*model, args.model);
    RunOptions options;
    options.store.budgetBytes = static_cast<std::size_t>(args.budgetMb * 1e6);
    std::vector<std::unique_ptr<kinds::KindRun>> runs;
    std::vector<AnnotatedRun> annotated;
    bool marks = false;
    for (const kinds::InputChoice& choice : args.allRecords ? kind.eachRecord(args.choice) : std::vector{args.choice}) {
        runs.push_back(kind.run(model, choice, options));
        reportRunWarnings(*runs.back());
        TokenAnnotations a = kind.annotations(*runs.back(), {args.annotations, args.motif, args.structure, args.chain, args.segment, args.referenceLevel, args.bindingSites});
        marks = marks || !a.pairs.empty() || std::find(a.positions.begin(), a.positions.end(), 1) != a.positions.end();
        annotated.push_back({&runs.back()->data.result->attention, std::move(a)});
    }
    const std::string structure = args.structure + (args.bindingSites ? "'s binding sites" : "");
    const std::string source = args.annotations.empty() ? args.motif.empty() ? structure : "--motif " + args.motif : args.annotations;
    check<FormatError>(marks, source + ": marks nothing in the " + (runs.size() == 1 ? "record run" : std::to_string(runs.size()) + " records run"));
    EnrichmentOptions o;
    o.threshold = args.threshold;
    o.permutations = args.permutations;
    o.seed = args.seed;
    const std::vector<HeadEnrichment> heads = headEnrichment(annotated, o, nullptr);
    if (args.json)
        std::cout << enrichmentJson(args, heads, annotated).dump(2) << "\n";
    else
        printTable(heads);
}

} // namespace attn::cli
