// libFuzzer target: an alignment file (A3M, A2M, aligned FASTA, Stockholm, Clustal; gzipped or not).

#include "FuzzSupport.h"
#include "msa/MsaReader.h"
#include "msa/SequenceWeights.h"
#include "msa/Subsample.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("input.msa", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] {
        const attn::Msa msa = attn::readMsa(path);
        if (msa.sequences() * msa.columns() <= 20000) { // what msa-info and a run do next
            (void)attn::effectiveSequences(attn::sequenceWeights(msa));
            (void)attn::subsampleRows(msa, 4, attn::SubsampleMode::Diverse);
            (void)attn::subsampleRows(msa, 4, attn::SubsampleMode::Random, 7);
        }
    });
    return 0;
}
