// libFuzzer target: a model folder of any family. The input holds config.json, then
// model.safetensors, then vocab.txt, split at kFileSeparator; a loaded model is described as
// `info` does.

#include "FuzzSupport.h"
#include "model/ModelFamily.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attn::fuzz;
    clearScratch();
    const auto files = splitFiles(data, size);
    const char* names[] = {"model/config.json", "model/model.safetensors", "model/vocab.txt"};
    for (std::size_t i = 0; i < files.size() && i < 3; ++i)
        writeScratch(names[i], files[i]);
    readExpectingOnlyOurErrors([&] {
        const auto model = attn::loadModelPath(scratch() / "model");
        (void)attn::describeModel(*model, "model");
    });
    return 0;
}
