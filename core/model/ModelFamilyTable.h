#pragma once
/// @file ModelFamilyTable.h
/// One entry per model family (internal to the core). Each family's source file defines its
/// entry; ModelFamily.cpp lists them. To add a family: write its model class (deriving from
/// Model) with a loader and a describer, define its entry function, add it to the list.

#include "checkpoint/ModelWeights.h"
#include "model/ConfigReader.h"
#include "model/Model.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attn {

/// What a family loads from: its directory (vocab.txt and the like), and the tensors when a
/// checkpoint format already read and renamed them (a fair-esm file: model/fairesm/).
struct ModelSource {
    std::filesystem::path directory;
    std::optional<ModelWeights> weights;
    /// The tensors given, or else the directory's (readModelWeights).
    ModelWeights takeTensors();
    /// The same as shared immutable Weights, for families that keep the names they read.
    std::shared_ptr<const Weights> takeWeights();
};

/// How one family is loaded and described.
struct ModelFamilyEntry {
    std::string name;      ///< config.json's "family" value that selects it.
    std::string modelType; ///< Hugging Face "model_type" that selects it ("" for none).
    /// Loads and validates the model; `config` is config.json (or what a format made), already parsed.
    std::shared_ptr<const Model> (*load)(ModelSource& source, const ConfigReader& config);
    /// Adds the family's own keys to the `info` JSON.
    void (*describe)(const Model& model, nlohmann::json& info);
    /// Modules of a model's own code (trust_remote_code) that select it when config.json's
    /// "auto_map" names one ("modeling_esm" of the Nucleotide Transformer v2); checked before
    /// model_type, since such a config may say none or a misleading one.
    std::vector<std::string> remoteModules;
};

/// A model distributed in a layout of its own rather than as a folder with config.json: one file
/// (a fair-esm checkpoint) or a folder (a MONAI bundle), recognised by its name and content.
struct ModelFormat {
    std::string name;
    /// True if the path (a file or a folder) is one of this format's (reads no more than it must).
    bool (*recognises)(const std::filesystem::path& path);
    /// Loads it, through a family's entry (modelFamily).
    std::shared_ptr<const Model> (*load)(const std::filesystem::path& path);
};

/// The family named `name` ("esm", "msa_transformer", ...); throws Error if there is none.
const ModelFamilyEntry& modelFamily(const std::string& name);

ModelFormat fairEsmFormat();           ///< fairesm/FairEsmCheckpoint.cpp
ModelFormat monaiBundleFormat();       ///< monai_bundle/MonaiBundle.cpp
ModelFamilyEntry torchEncoderFamily(); ///< EncoderModel.cpp
ModelFamilyEntry bertFamily();         ///< BertFormat.cpp
ModelFamilyEntry dnabert2Family();     ///< dnabert2/Dnabert2Format.cpp
ModelFamilyEntry ctEncoderFamily();    ///< CtModel.cpp
ModelFamilyEntry msaTransformerFamily(); ///< MsaTransformer.cpp
ModelFamilyEntry esmFamily();          ///< EsmModel.cpp
ModelFamilyEntry ehrEncoderFamily();   ///< EhrModel.cpp
ModelFamilyEntry monaiVitFamily();     ///< monai_vit/MonaiVit.cpp
ModelFamilyEntry monaiUnetrFamily();   ///< monai_unetr/Unetr.cpp

/// Reads and validates a torch_encoder config.json (ModelConfig.cpp).
ModelConfig readTorchEncoderConfig(const ConfigReader& config);
/// Reads the keys of an nn.TransformerEncoder stack that ct_encoder and ehr_encoder share: d_model,
/// n_heads, n_layers, dim_feedforward, activation (gelu), norm_first (true), layer_norm_eps (1e-5),
/// final_norm (true), labels; no positions (ModelConfig.cpp).
ModelConfig readEncoderStack(const ConfigReader& config, const std::string& family);
/// Reads the encoder keys every Hugging Face config shares (hidden_size, num_attention_heads,
/// num_hidden_layers, intermediate_size, hidden_act "gelu" unless !checkActivation), and checks the heads divide the width
/// (BertFormat.cpp; bert and esm).
void readHuggingFaceEncoder(const ConfigReader& config, ModelConfig& c, bool checkActivation = true);
/// A Hugging Face config's class names: id2label in id order, or LABEL_0.. for num_labels (default
/// 2) (BertFormat.cpp; bert and dnabert2).
std::vector<std::string> readHuggingFaceLabels(const ConfigReader& config);
/// Moves a BERT head out of `in` into EncoderModel's names in `out`: BertForSequenceClassification's
/// pooler and classifier, or, when config.maskedLm, BertForMaskedLM's cls.predictions.* as lm_head.*
/// (the decoder tied to embed.weight, which `out` must already hold) (BertFormat.cpp; bert and dnabert2).
void bertHeadToEncoderNames(TensorMap& in, TensorMap& out, const ModelConfig& config, const std::string& file);
/// Reads a Hugging Face BERT config.json and the vocab.txt beside it (BertFormat.cpp).
ModelConfig readBertConfig(const ConfigReader& config, const std::filesystem::path& configPath);
/// The `info` keys of the sequence families: vocab_size, tokenizer, k (EncoderModel.cpp).
void describeSequenceModel(const Model& model, nlohmann::json& info);

} // namespace attn
