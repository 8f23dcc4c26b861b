// libFuzzer target: a DICOMDIR (its directory records and the files they name), read as a
// study folder holding one is read.

#include "FuzzSupport.h"
#include "dicom/DicomSeries.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attn::fuzz;
    clearScratch();
    writeScratch("media/DICOMDIR", {reinterpret_cast<const char*>(data), size});
    readExpectingOnlyOurErrors([&] { (void)attn::scanDicomFolder(scratch() / "media"); });
    return 0;
}
