// libFuzzer target: a NIfTI-1 volume (.nii: header, dimensions, datatype, voxels) through nifticlib.

#include "FuzzSupport.h"
#include "io/Nifti.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("mask.nii", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] { (void)attn::readNifti(path); });
    return 0;
}
