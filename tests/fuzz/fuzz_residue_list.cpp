// libFuzzer target: a list of a protein query's residues for enrichment (numbers, ranges, commas,
// comments, gzipped or not).

#include "FuzzSupport.h"
#include "io/ResidueList.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("residues.txt", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] { (void)attn::readResidueList(path); });
    return 0;
}
