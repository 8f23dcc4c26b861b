// attnscope-cli contacts: an alignment's query on a structure, its true contacts, and how well
// the coevolution baseline (MI-APC) predicts them.

#include "cli/CliCommands.h"

#include "interpret/Coevolution.h"
#include "interpret/Contacts.h"
#include "io/Npy.h"
#include "msa/MsaReader.h"
#include "structure/ProteinStructure.h"
#include "structure/QueryMapping.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>

namespace attn::cli {
namespace {

using json = nlohmann::json;

constexpr ContactRange kRanges[] = {ContactRange::Short, ContactRange::Medium, ContactRange::Long};

json precisionJson(const Matrix& scores, const Matrix& truth)
{
    const auto l = static_cast<std::size_t>(truth.rows());
    json out;
    for (ContactRange r : kRanges)
        out[contactRangeName(r)] = {{"P@L", precisionAt(scores, truth, r, l)},
                                    {"P@L/2", precisionAt(scores, truth, r, l / 2)},
                                    {"P@L/5", precisionAt(scores, truth, r, l / 5)}};
    return out;
}

void writeMatrix(const std::filesystem::path& path, const Matrix& m)
{
    writeNpy(path, {m.rows(), m.cols()}, m.data()); // row-major, as numpy reads it
}

void printText(const json& r)
{
    std::cout << r["structure"].get<std::string>() << ", chain " << r["chain"].get<std::string>() << ": "
              << r["mapping"]["with_coordinates"] << " of " << r["query_residues"] << " query residues have coordinates ("
              << r["mapping"]["identical"] << " identical, " << r["mapping"]["unmatched"].size() << " not in the chain)\n"
              << "  true contacts: short " << r["true_contacts"]["short"] << ", medium " << r["true_contacts"]["medium"]
              << ", long " << r["true_contacts"]["long"] << "\n"
              << std::fixed << std::setprecision(3);
    for (ContactRange range : kRanges) {
        const json& p = r["precision"]["baseline"][contactRangeName(range)];
        std::cout << "  MI-APC baseline, " << contactRangeName(range) << ": P@L " << p["P@L"].get<double>() << ", P@L/2 "
                  << p["P@L/2"].get<double>() << ", P@L/5 " << p["P@L/5"].get<double>() << "\n";
    }
}

} // namespace

void contactsCommand(const ContactsArgs& args)
{
    const Msa msa = readMsa(args.input);
    const ProteinStructure structure = readStructure(args.structure);
    const StructureChain& chain = structure.chain(args.chain);
    const QueryMapping mapping = mapQueryToChain(msa.rows.front().residues, chain);
    const Matrix truth = trueContacts(mapping, chain);
    const Matrix baseline = inQueryNumbering(miApcBaseline(msa), msa.queryColumns());
    std::size_t withCoordinates = 0;
    for (Index i = 0; i < truth.rows(); ++i)
        withCoordinates += truth(i, i) >= 0.0f;
    json unmatched = json::array();
    for (std::size_t i : mapping.unmatched)
        unmatched.push_back(i + 1);
    json report{{"structure", args.structure},
                {"chain", chain.name},
                {"input", args.input},
                {"query", msa.queryName()},
                {"query_residues", truth.rows()},
                {"mapping", {{"mapped", mapping.mapped}, {"identical", mapping.identical}, {"with_coordinates", withCoordinates},
                             {"unmatched", unmatched}}},
                {"true_contacts", {}},
                {"precision", {{"baseline", precisionJson(baseline, truth)}}}};
    for (ContactRange r : kRanges)
        report["true_contacts"][contactRangeName(r)] = countContacts(truth, r);
    if (!args.out.empty()) {
        std::filesystem::create_directories(args.out);
        writeMatrix(std::filesystem::path(args.out) / "true_contacts.npy", truth);
        writeMatrix(std::filesystem::path(args.out) / "baseline.npy", baseline);
    }
    if (args.json)
        std::cout << report.dump(2) << "\n";
    else
        printText(report);
}

} // namespace attn::cli
