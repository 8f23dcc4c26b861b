#include "cli/CliCommands.h"

#include "kinds/KindRegistry.h"
#include "model/ModelFamily.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace attn::cli {

void infoCommand(const std::string& modelDir)
{
    const auto model = loadModelPath(modelDir);
    nlohmann::json info = nlohmann::json::parse(describeModel(*model, modelDir));
    info["kind"] = kinds::kindRunning(*model, modelDir).name(); // the kind of data it runs on
    std::cout << info.dump(2) << "\n";
}

} // namespace attn::cli
