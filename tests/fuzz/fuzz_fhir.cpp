// libFuzzer target: FHIR R4 JSON (a Bundle, a resource) or NDJSON, as `events` and the EHR kind read it.

#include "FuzzSupport.h"
#include "ehr/EventReader.h"
#include "ehr/EventWriter.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("input.json", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] {
        const attn::EventLoad load = attn::readEvents(path);
        std::ostringstream csv;
        attn::writeEventsCsv(load.table, csv);
        (void)load.report.summary();
        for (const std::string& subject : load.table.subjects())
            (void)load.table.ofSubject(subject, path.string());
    });
    return 0;
}
