// libFuzzer target: a TSV of code pairs, the annotations of EHR enrichment (two codes a line,
// comments, blank lines, gzipped or not).

#include "FuzzSupport.h"
#include "ehr/CodePairs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("pairs.tsv", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] { (void)attn::readCodePairs(path); });
    return 0;
}
