// libFuzzer target: a folder holding one file, scanned as the app scans a study folder, then
// every series found loaded into a volume (geometry, slice order, rescale).

#include "FuzzSupport.h"
#include "dicom/DicomSeries.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attn::fuzz;
    clearScratch();
    writeScratch("study/IM0001", {reinterpret_cast<const char*>(data), size});
    readExpectingOnlyOurErrors([&] {
        for (const attn::DicomSeriesInfo& series : attn::scanDicomFolder(scratch() / "study").series)
            (void)attn::loadDicomSeries(series);
    });
    return 0;
}
