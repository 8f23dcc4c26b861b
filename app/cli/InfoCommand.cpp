#include "cli/CliCommands.h"

#include "model/ModelFamily.h"

#include <iostream>

namespace attn::cli {

void infoCommand(const std::string& modelDir)
{
    std::cout << describeModel(*loadModelPath(modelDir), modelDir) << "\n";
}

} // namespace attn::cli
