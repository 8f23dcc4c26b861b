// libFuzzer target: a NumPy .npy file (magic, version, header dict, shape, dtype, data).

#include "FuzzSupport.h"
#include "io/Npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("input.npy", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] { (void)attn::readNpy(path); });
    return 0;
}
