#include "model/tokenizers/TokenizerJson.h"

#include "io/JsonFile.h"
#include "model/tokenizers/Bpe.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>

namespace attn {
namespace {

using json = nlohmann::json;

std::vector<std::string> readVocabulary(const json& model, const std::string& where)
{
    const json& vocab = model.at("vocab");
    check<FormatError>(vocab.is_object() && !vocab.empty(), where + ": 'model.vocab' must be a non-empty object of token ids");
    std::vector<std::string> tokens(vocab.size());
    for (const auto& [token, id] : vocab.items()) {
        check<FormatError>(!token.empty() && id.is_number_integer() && id.get<long long>() >= 0 && id.get<long long>() < static_cast<long long>(tokens.size())
                               && tokens[id.get<std::size_t>()].empty(),
                           where + ": 'model.vocab' must number its tokens 0 to " + std::to_string(tokens.size() - 1) + " once each ('" + token + "')");
        tokens[id.get<std::size_t>()] = token;
    }
    return tokens;
}

std::vector<std::pair<std::string, std::string>> readMerges(const json& model, const std::string& where)
{
    std::vector<std::pair<std::string, std::string>> merges;
    const json& list = model.at("merges");
    check<FormatError>(list.is_array(), where + ": 'model.merges' must be a list");
    for (const json& m : list) {
        if (m.is_string()) {
            const std::string s = m.get<std::string>();
            const auto space = s.find(' ');
            check<FormatError>(space != std::string::npos && space > 0 && space + 1 < s.size() && s.find(' ', space + 1) == std::string::npos,
                               where + ": merge '" + s + "' is not two tokens separated by one space");
            merges.emplace_back(s.substr(0, space), s.substr(space + 1));
        } else {
            check<FormatError>(m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string(), where + ": a merge is neither \"a b\" nor [a, b]");
            merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
        }
    }
    return merges;
}

void checkSupported(const json& j, const std::string& where)
{
    const json& model = j.at("model");
    check<FormatError>(model.value("type", std::string("BPE")) == "BPE", where + ": 'model.type' is not \"BPE\"");
    for (const char* key : {"dropout", "continuing_subword_prefix", "end_of_word_suffix"})
        check<FormatError>(!model.contains(key) || model.at(key).is_null(), where + ": 'model." + key + "' is not supported");
    check<FormatError>(!j.contains("normalizer") || j.at("normalizer").is_null(), where + ": a normalizer is not supported");
    if (j.contains("pre_tokenizer") && !j.at("pre_tokenizer").is_null()) {
        const std::string type = j.at("pre_tokenizer").value("type", std::string());
        check<FormatError>(type == "Whitespace" || type == "WhitespaceSplit",
                           where + ": the pre-tokenizer '" + type + "' is not supported (Whitespace is)");
    }
}

/// The special tokens around $A in the post-processor's single template; none when there is none.
std::pair<std::string, std::string> templateSpecials(const json& j, const std::string& where)
{
    if (!j.contains("post_processor") || j.at("post_processor").is_null())
        return {};
    const json& p = j.at("post_processor");
    check<FormatError>(p.value("type", std::string()) == "TemplateProcessing", where + ": only a TemplateProcessing post-processor is supported");
    std::vector<std::string> pieces;
    for (const json& piece : p.at("single"))
        pieces.push_back(piece.contains("SpecialToken") ? piece.at("SpecialToken").at("id").get<std::string>() : "$A");
    const auto a = std::find(pieces.begin(), pieces.end(), "$A");
    check<FormatError>(a != pieces.end() && pieces.size() <= 3 && a - pieces.begin() <= 1,
                       where + ": the post-processor's single template must be [SPECIAL] $A [SPECIAL]");
    return {a == pieces.begin() ? "" : pieces.front(), a + 1 == pieces.end() ? "" : pieces.back()};
}

} // namespace

TokenizerConfig readBpeTokenizerJson(const std::filesystem::path& path)
{
    const std::string where = path.string();
    const json j = readJsonObject(path);
    try {
        checkSupported(j, where);
        TokenizerConfig t;
        t.type = "bpe";
        t.uppercase = false; // no normalizer: letters are looked up as written
        t.vocab = readVocabulary(j.at("model"), where);
        t.merges = readMerges(j.at("model"), where);
        std::unordered_map<std::string, int> ids;
        for (std::size_t i = 0; i < t.vocab.size(); ++i)
            ids.emplace(t.vocab[i], static_cast<int>(i));
        (void)BpeMerges(t.merges, ids, where); // every merge joins and makes tokens of the vocabulary
        t.unk = j.at("model").value("unk_token", std::string());
        check<FormatError>(!t.unk.empty(), where + ": 'model.unk_token' is missing");
        std::tie(t.cls, t.sep) = templateSpecials(j, where);
        check<FormatError>(!t.cls.empty(), where + ": the post-processor puts no special token first ([CLS] $A [SEP] expected)");
        for (const std::string* s : {&t.unk, &t.cls, &t.sep})
            check<FormatError>(s->empty() || std::find(t.vocab.begin(), t.vocab.end(), *s) != t.vocab.end(),
                               where + ": the special token '" + *s + "' is not in the vocabulary");
        for (const std::string& token : t.vocab)
            if (token.front() != '[')
                t.k = std::max(t.k, static_cast<int>(token.size()));
        t.pad = std::find(t.vocab.begin(), t.vocab.end(), "[PAD]") != t.vocab.end() ? "[PAD]" : t.unk;
        return t;
    } catch (const json::exception& e) {
        throw FormatError(where + ": " + e.what());
    }
}

} // namespace attn
