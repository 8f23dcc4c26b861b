// libFuzzer target: a MONAI bundle. The input holds the bundle's config, then models/model.pt,
// split at kFileSeparator; a config that starts with '{' is configs/inference.json, any other
// configs/inference.yaml (yaml-cpp's parser, the reference resolver, the network_def readers and
// the ViT / UNETR loaders are all reached). A loaded model is described as `info` does.

#include "FuzzSupport.h"
#include "model/ModelFamily.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attn::fuzz;
    clearScratch();
    const auto files = splitFiles(data, size);
    if (files.empty())
        return 0;
    writeScratch(files[0].substr(0, 1) == "{" ? "bundle/configs/inference.json" : "bundle/configs/inference.yaml", files[0]);
    if (files.size() > 1)
        writeScratch("bundle/models/model.pt", files[1]);
    readExpectingOnlyOurErrors([&] {
        const auto model = attn::loadModelPath(scratch() / "bundle");
        (void)attn::describeModel(*model, "bundle");
    });
    return 0;
}
