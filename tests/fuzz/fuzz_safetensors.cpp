// libFuzzer target: a model.safetensors file (header JSON, dtypes, shapes, offsets).

#include "FuzzSupport.h"
#include "io/SafeTensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("model.safetensors", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] { (void)attn::readSafeTensors(path); });
    return 0;
}
