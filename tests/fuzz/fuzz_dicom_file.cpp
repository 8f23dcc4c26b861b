// libFuzzer target: one DICOM file through DCMTK: its header (the tags attnscope reads), then
// its pixels (bits, signedness, rescale, frames, compressed transfer syntaxes).

#include "FuzzSupport.h"
#include "dicom/DicomFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("image.dcm", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] {
        const attn::DicomHeader header = attn::readDicomHeader(path);
        (void)attn::readDicomPixels(header);
    });
    return 0;
}
