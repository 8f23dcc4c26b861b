// attnscope-cli msa-info: what an alignment file holds, as a model will see it.

#include "cli/CliCommands.h"

#include "msa/MsaReader.h"
#include "msa/SequenceWeights.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace attn::cli {

void msaInfoCommand(const MsaInfoArgs& args)
{
    const Msa msa = readMsa(args.file);
    const double neff = effectiveSequences(sequenceWeights(msa, 0.8));
    const nlohmann::json info{{"file", args.file},
                              {"format", msaFormatName(msa.format)},
                              {"sequences", msa.sequences()},
                              {"columns", msa.columns()},
                              {"query", msa.queryName()},
                              {"neff", neff},
                              {"gap_fraction", msa.gapFraction()},
                              {"insertions_removed", msa.insertionsRemoved}};
    if (args.json) {
        std::cout << info.dump(2) << "\n";
        return;
    }
    std::cout << args.file << ": " << msaFormatName(msa.format) << ", " << msa.sequences() << " sequences x "
              << msa.columns() << " aligned columns\n"
              << "  query " << msa.queryName() << "\n"
              << std::fixed << std::setprecision(1) << "  Neff " << neff << " (sequences weighted at 80 % identity)\n"
              << std::setprecision(3) << "  gap fraction " << msa.gapFraction() << "\n";
    if (msa.insertionsRemoved > 0)
        std::cout << "  " << msa.insertionsRemoved << " inserted residues removed (lowercase and '.')\n";
}

} // namespace attn::cli
