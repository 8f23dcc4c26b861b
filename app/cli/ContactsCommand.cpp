// attnscope-cli contacts: an alignment's query on a structure, its true contacts, and how well
// the coevolution baseline (MI-APC), and with --model the model's contact head and its best
// single head, predict them.

#include "cli/CliCommands.h"

#include "interpret/Coevolution.h"
#include "kinds/KindRegistry.h"
#include "model/ModelFamily.h"
#include "interpret/ContactEvaluation.h"
#include "io/Npy.h"
#include "msa/MsaReader.h"
#include "structure/ProteinStructure.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>

namespace attn::cli {
namespace {

using json = nlohmann::json;

json precisionJson(const ContactPrecision& p)
{
    json out;
    for (std::size_t r = 0; r < kContactRanges.size(); ++r)
        for (std::size_t d = 0; d < kPrecisionNames.size(); ++d)
            out[contactRangeName(kContactRanges[r])][kPrecisionNames[d]] = p.at[r][d];
    return out;
}

void writeMatrix(const std::filesystem::path& path, const Matrix& m)
{
    writeNpy(path, {m.rows(), m.cols()}, m.data()); // row-major, as numpy reads it
}

/// What a protein model predicts, in query numbering: its contact head and every head's map.
struct ModelContacts {
    Matrix predicted;                 ///< The contact head [L, L] (or the mean over heads, for a model without one).
    std::string key = "contact_head"; ///< Its key in the report: "contact_head" or "mean_over_heads".
    json bestHead;                    ///< {"layer", "head", "precision"} of the head best at long-range P@L.
    std::size_t sequences = 0;        ///< Rows the model saw.
};

ModelContacts modelContacts(const ContactsArgs& args, const Matrix& truth)
{
    const auto model = loadModelPath(args.model);
    const kinds::Kind& kind = kinds::kindRunning(*model, args.model);
    const auto run = kind.run(model, args.choice, {});
    const std::optional<kinds::ContactPrediction> p = kind.contacts(*run);
    check<FormatError>(p.has_value(), args.model + ": a " + model->family() + " model predicts no contacts (a protein model does)");
    ModelContacts mc;
    mc.predicted = p->contactHead;
    mc.key = p->source == "contact head" ? "contact_head" : "mean_over_heads";
    mc.sequences = p->sequences;
    check<ShapeError>(mc.predicted.rows() == truth.rows(), args.choice.input + ": the model ran on " + std::to_string(mc.predicted.rows())
                                                               + " residues but the query has " + std::to_string(truth.rows()));
    const BestHead best = bestContactHead(*p->attention, 1, p->residues, truth, p->toQuery);
    mc.bestHead = {{"layer", best.layer}, {"head", best.head}, {"chosen_by", "long-range P@L"}, {"precision", precisionJson(best.precision)}};
    return mc;
}

void printPrecision(const std::string& what, const json& precision)
{
    for (ContactRange range : kContactRanges) {
        const json& p = precision[contactRangeName(range)];
        std::cout << "  " << what << ", " << contactRangeName(range) << ": P@L " << p["P@L"].get<double>() << ", P@L/2 "
                  << p["P@L/2"].get<double>() << ", P@L/5 " << p["P@L/5"].get<double>() << "\n";
    }
}

void printText(const json& r)
{
    std::cout << r["structure"].get<std::string>() << ", chain " << r["chain"].get<std::string>() << ": "
              << r["mapping"]["with_coordinates"] << " of " << r["query_residues"] << " query residues have coordinates ("
              << r["mapping"]["identical"] << " identical, " << r["mapping"]["unmatched"].size() << " not in the chain)\n"
              << "  true contacts: short " << r["true_contacts"]["short"] << ", medium " << r["true_contacts"]["medium"]
              << ", long " << r["true_contacts"]["long"] << "\n"
              << std::fixed << std::setprecision(3);
    for (const char* key : {"contact_head", "mean_over_heads"}) {
        if (!r["precision"].contains(key))
            continue;
        printPrecision(std::string(key) == "contact_head" ? "contact head" : "mean over heads (symmetrised, APC)", r["precision"][key]);
        const json& b = r["precision"]["best_head"];
        printPrecision("best head (layer " + std::to_string(b["layer"].get<int>()) + ", head " + std::to_string(b["head"].get<int>()) + ")",
                       b["precision"]);
    }
    printPrecision("MI-APC baseline", r["precision"]["baseline"]);
}

} // namespace

void contactsCommand(const ContactsArgs& args)
{
    const Msa msa = readMsa(args.choice.input);
    const ProteinStructure structure = readStructure(args.structure);
    const StructureChain& chain = structure.chain(args.chain);
    const StructureContacts contacts = structureContacts(msa.rows.front().residues, chain);
    const Matrix& truth = contacts.truth;
    const Matrix baseline = inQueryNumbering(miApcBaseline(msa), msa.queryColumns());
    json unmatched = json::array();
    for (std::size_t i : contacts.mapping.unmatched)
        unmatched.push_back(i + 1);
    json report{{"structure", args.structure},
                {"chain", chain.name},
                {"input", args.choice.input},
                {"query", msa.queryName()},
                {"query_residues", truth.rows()},
                {"mapping", {{"mapped", contacts.mapping.mapped}, {"identical", contacts.mapping.identical},
                             {"with_coordinates", contacts.withCoordinates}, {"unmatched", unmatched}}},
                {"true_contacts", {}},
                {"precision", {{"baseline", precisionJson(contactPrecision(baseline, truth))}}}};
    for (std::size_t r = 0; r < kContactRanges.size(); ++r)
        report["true_contacts"][contactRangeName(kContactRanges[r])] = contacts.counts[r];
    report["baseline_sequences"] = msa.sequences();
    ModelContacts predicted;
    if (!args.model.empty()) {
        predicted = modelContacts(args, truth);
        report["model"] = args.model;
        report["model_sequences"] = predicted.sequences;
        report["precision"][predicted.key] = precisionJson(contactPrecision(predicted.predicted, truth));
        report["precision"]["best_head"] = predicted.bestHead;
    }
    if (!args.out.empty()) {
        std::filesystem::create_directories(args.out);
        writeMatrix(std::filesystem::path(args.out) / "true_contacts.npy", truth);
        writeMatrix(std::filesystem::path(args.out) / "baseline.npy", baseline);
        if (!args.model.empty())
            writeMatrix(std::filesystem::path(args.out) / "predicted.npy", predicted.predicted);
    }
    if (args.json)
        std::cout << report.dump(2) << "\n";
    else
        printText(report);
}

} // namespace attn::cli
