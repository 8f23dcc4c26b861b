// libFuzzer target: an event table (MEDS-shaped CSV or TSV), read as `events` and the EHR kind read it.

#include "FuzzSupport.h"
#include "ehr/EventReader.h"
#include "ehr/EventWriter.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("events.csv", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] {
        const attn::EventLoad load = attn::readEvents(path);
        std::ostringstream csv;
        attn::writeEventsCsv(load.table, csv);
    });
    return 0;
}
