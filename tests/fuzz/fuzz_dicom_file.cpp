// libFuzzer target: one DICOM file through DCMTK: its header (the tags attnscope reads), then
// its pixels (1 to 32 bits, float, signedness, rescale, dose scaling, frames, compressed
// transfer syntaxes), and for a segmentation its mask (frame positions, segments).

#include "FuzzSupport.h"
#include "dicom/DicomFile.h"
#include "dicom/DicomSegmentation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("image.dcm", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] {
        const attn::DicomHeader header = attn::readDicomHeader(path);
        (void)attn::readDicomPixels(header);
        if (attn::isSegmentation(header))
            (void)attn::readSegmentMask(header);
    });
    return 0;
}
