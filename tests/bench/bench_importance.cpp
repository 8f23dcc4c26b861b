// attnscope-bench importance MODEL_DIR [repeats] [zero|mean|uniform]: the head-importance grid
// (every head ablated alone) against one forward with every head's attention recorded, on the
// same model and input (MODEL_DIR/input.json holds the ids), best of `repeats` each.

#include "interpret/HeadImportance.h"
#include "interpret/ModelPredictors.h"
#include "model/ModelFamily.h"
#include "model/torch_encoder/EncoderModel.h"
#include "util/SystemInfo.h"

#include "BenchTiming.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

namespace attn::bench {

int importanceBench(const std::string& dir, int repeats, const std::string& ablation)
{
    const auto model = loadModel(dir);
    std::ifstream in(dir + "/input.json");
    const auto ids = nlohmann::json::parse(in).at("ids").get<std::vector<int>>();
    const Timing forward = timeRuns(repeats, [&] { (void)model->run(ids, {}, {}); });
    const auto predictor = sequencePredictor(model, ids);
    HeadImportance result;
    const Timing grid = timeRuns(repeats, [&] { result = headImportance(*predictor, parseAblation(ablation), nullptr); });
    const ModelConfig& c = model->config();
    std::cout << nlohmann::json{{"impl", "attnscope_importance"}, {"len", ids.size()}, {"layers", c.nLayers}, {"heads", c.nHeads},
                                {"ablation", ablation}, {"threads", threads()}, {"forward_seconds", forward.best},
                                {"grid_seconds", grid.best}, {"grid_over_forward", grid.best / forward.best},
                                {"peak_rss_mb", static_cast<double>(peakResidentBytes()) / (1 << 20)}}
                     .dump()
              << "\n";
    return 0;
}

} // namespace attn::bench
