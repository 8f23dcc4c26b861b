// libFuzzer target: a BED file of enrichment annotations (names, coordinates, comments, track lines,
// gzipped or not), and its intervals marked on a window of a record.

#include "FuzzSupport.h"
#include "interpret/SequenceMarks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("marks.bed", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] {
        const auto intervals = attn::readBed(path);
        std::vector<char> bases(64, 0);
        (void)attn::markIntervals(bases, intervals, intervals.front().name, 10);
    });
    return 0;
}
