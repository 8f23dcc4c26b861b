// libFuzzer target: a Hugging Face tokenizer.json of a BPE model (DNABERT-2's), read, built into a
// tokenizer and run on a few sequences (merges, unknown letters, words split by whitespace).

#include "FuzzSupport.h"
#include "model/tokenizers/Tokenizer.h"
#include "model/tokenizers/TokenizerJson.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("tokenizer.json", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] {
        const attn::Tokenizer tokenizer(attn::readBpeTokenizerJson(path));
        for (const char* sequence : {"ACGTAGCTAGGTAAGTCTTCAGGTACGNATC", "acgt TTAA-GC\tA", "", "\xc3\xa9\xe2\x82"})
            (void)tokenizer.encode(sequence);
    });
    return 0;
}
