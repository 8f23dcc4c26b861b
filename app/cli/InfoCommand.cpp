#include "cli/CliCommands.h"

#include "model/EncoderModel.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace attn::cli {

void infoCommand(const std::string& modelDir)
{
    const auto model = loadModel(modelDir);
    const ModelConfig& c = model->config();
    const nlohmann::json info = {
        {"path", modelDir},
        {"family", c.family},
        {"d_model", c.dModel},
        {"n_heads", c.nHeads},
        {"n_layers", c.nLayers},
        {"dim_feedforward", c.dimFeedforward},
        {"activation", activationName(c.activation)},
        {"norm_first", c.normFirst},
        {"positional", positionalName(c.positional)},
        {"max_len", c.maxLen},
        {"vocab_size", model->tokenizer().vocabSize()},
        {"tokenizer", model->tokenizer().config().type},
        {"k", model->tokenizer().config().k},
        {"labels", c.labels},
        {"parameters", model->weights().parameterCount()},
    };
    std::cout << info.dump(2) << "\n";
}

} // namespace attn::cli
