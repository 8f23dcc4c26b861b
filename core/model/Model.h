#pragma once
/// @file Model.h
/// What every model family shares once loaded: the encoder's architecture (layers, heads,
/// width, class labels) and the weights. A family's own class (EncoderModel, CtModel, ...)
/// derives from it; loaded models are immutable and shared as std::shared_ptr<const Model>.

#include "model/ModelConfig.h"
#include "model/Weights.h"
#include "util/Error.h"

#include <memory>
#include <string>

namespace attn {

/// A loaded model of any family.
class Model {
public:
    Model() = default;
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;
    virtual ~Model() = default;

    /// The encoder's architecture: family, layers, heads, width, labels.
    virtual const ModelConfig& encoderConfig() const = 0;
    /// The weights.
    virtual const Weights& weights() const = 0;
    /// The family name (config.json's "family", or "bert" for Hugging Face BERT).
    const std::string& family() const { return encoderConfig().family; }
};

/// The model as its family's class, or FormatError naming `path` and the family that was found
/// (for code that needs one family, e.g. a CT model for a DICOM study).
template <class T>
std::shared_ptr<const T> modelAs(const std::shared_ptr<const Model>& model, const std::string& path, const std::string& wanted)
{
    auto typed = std::dynamic_pointer_cast<const T>(model);
    if (!typed)
        throw FormatError(path + ": a " + model->family() + " model, not " + wanted);
    return typed;
}

} // namespace attn
