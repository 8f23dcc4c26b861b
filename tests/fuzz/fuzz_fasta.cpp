// libFuzzer target: a FASTA file (headers, wrapped sequence lines, blank lines, odd letters).

#include "FuzzSupport.h"
#include "io/FastaReader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("input.fa", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] { (void)attn::readFasta(path); });
    return 0;
}
