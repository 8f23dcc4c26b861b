// attnscope-bench's patient-record measurements (tools/bench_ehr.sh):
//   ehr-load INPUT [repeats]            read a whole record (FHIR NDJSON folder, Bundle, table) into events
//   meds DIR [repeats]                  a MEDS Parquet dataset: open, list its subjects, load the middle one
//   meds-convert CSV_DIR OUT            a MEDS CSV dataset as Parquet (the benchmark's input; not timed)
//   ehr MODEL_DIR INPUT [f32|f16] [repeats]  an ehr_encoder on the first subject: tokens, every head's attention, logits

#include "ehr/EventReader.h"
#include "ehr/MedsDataset.h"
#include "model/ehr_encoder/EhrModel.h"
#include "util/SystemInfo.h"

#include "BenchTiming.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace attn::bench {
namespace {

double mb(std::size_t bytes)
{
    return static_cast<double>(bytes) / (1 << 20);
}

int loadRecord(const std::string& input, int repeats)
{
    std::size_t events = 0, subjects = 0;
    const Timing t = timeRuns(repeats, [&] {
        const EventLoad load = readEvents(input);
        events = load.table.events.size();
        subjects = load.table.subjects().size();
    });
    std::cout << nlohmann::json{{"impl", "attnscope"}, {"task", "load_record"}, {"events", events}, {"subjects", subjects},
                                {"seconds", t.best}, {"cold_seconds", t.cold}, {"peak_rss_mb", mb(peakResidentBytes())}}
                     .dump()
              << "\n";
    return 0;
}

int listAndLoadOne(const std::string& dir, int repeats)
{
    std::size_t subjects = 0, events = 0;
    std::string chosen;
    const Timing t = timeRuns(repeats, [&] {
        const MedsDataset dataset(dir);
        const std::vector<MedsSubject> all = dataset.subjects();
        subjects = all.size();
        chosen = all[all.size() / 2].id;
        events = dataset.load(chosen).table.events.size();
    });
    std::cout << nlohmann::json{{"impl", "attnscope"}, {"task", "meds_list_load_one"}, {"subjects", subjects}, {"subject", chosen},
                                {"events", events}, {"seconds", t.best}, {"cold_seconds", t.cold}, {"peak_rss_mb", mb(peakResidentBytes())}}
                     .dump()
              << "\n";
    return 0;
}

int runModel(const std::string& dir, const std::string& input, const std::string& store, int repeats)
{
    const auto model = loadEhrModel(dir);
    const std::vector<Event> events = readEvents(input).table.events;
    RunOptions options;
    options.store.type = parseStoreType(store);
    const std::size_t before = residentBytes();
    int tokens = 0;
    double logit = 0;
    const Timing t = timeRuns(repeats, [&] {
        const EhrTokens x = tokenizeEvents(model->config(), events);
        const RunResult r = model->run(x, options);
        tokens = x.size();
        logit = r.logits[0];
    });
    const ModelConfig& e = model->config().encoder;
    std::cout << nlohmann::json{{"impl", "attnscope"}, {"task", "ehr_forward"}, {"tokens", tokens}, {"layers", e.nLayers}, {"heads", e.nHeads},
                                {"d_model", e.dModel}, {"store", store}, {"threads", threads()}, {"logit0", logit}, {"seconds", t.best},
                                {"cold_seconds", t.cold}, {"resident_before_mb", mb(before)}, {"peak_rss_mb", mb(peakResidentBytes())}}
                     .dump()
              << "\n";
    return 0;
}

} // namespace

int ehrBench(const std::string& mode, int argc, char** argv)
{
    const auto repeats = [&](int i) { return argc > i ? std::stoi(argv[i]) : 3; };
    if (mode == "ehr-load")
        return loadRecord(argv[2], repeats(3));
    if (mode == "meds")
        return listAndLoadOne(argv[2], repeats(3));
    if (mode == "meds-convert" && argc > 3) {
        MedsDataset::convertCsv(argv[2], argv[3]);
        return 0;
    }
    if (mode == "ehr" && argc > 3)
        return runModel(argv[2], argv[3], argc > 4 ? argv[4] : "f16", repeats(5));
    std::cerr << "attnscope-bench: " << mode << ": wrong arguments\n";
    return 2;
}

} // namespace attn::bench
