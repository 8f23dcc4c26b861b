// libFuzzer target: what DuckDB reads for attnscope: a MEDS dataset whose data/0.parquet is the
// first file of the input, and (the second file, when there is one) an event table read one
// subject at a time (MedsDataset::openTable). Subjects are listed and the first one is loaded,
// as the EHR window does.

#include "FuzzSupport.h"
#include "ehr/EventReader.h"
#include "ehr/MedsDataset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    attn::fuzz::clearScratch();
    const std::vector<std::string_view> files = attn::fuzz::splitFiles(data, size);
    const auto folder = attn::fuzz::writeScratch("meds/data/0.parquet", files.front()).parent_path().parent_path();
    const auto listAndLoad = [](const attn::MedsDataset& d) {
        const std::vector<attn::MedsSubject> subjects = d.subjects();
        if (!subjects.empty())
            (void)d.load(subjects.front().id);
    };
    attn::fuzz::readExpectingOnlyOurErrors([&] { listAndLoad(attn::MedsDataset(folder)); });
    if (files.size() > 1) {
        const auto table = attn::fuzz::writeScratch("events.csv", files[1]);
        attn::fuzz::readExpectingOnlyOurErrors([&] { listAndLoad(*attn::MedsDataset::openTable(table)); });
    }
    return 0;
}
