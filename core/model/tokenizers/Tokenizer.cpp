#include "model/tokenizers/Tokenizer.h"

#include <algorithm>
#include <cctype>

namespace attn {

Tokenizer::Tokenizer(TokenizerConfig config)
    : config_(std::move(config))
{
    for (std::size_t i = 0; i < config_.vocab.size(); ++i)
        ids_.emplace(config_.vocab[i], static_cast<int>(i)); // first occurrence wins
    clsId_ = ids_.at(config_.cls);
    unkId_ = ids_.at(config_.unk);
    if (!config_.sep.empty())
        sepId_ = ids_.at(config_.sep);
    config_.k = std::max(1, config_.k);
    if (config_.type == "bpe")
        merges_ = BpeMerges(config_.merges, ids_, "the tokenizer's merges");
}

void Tokenizer::push(Encoding& e, int id, TokenSpan span) const
{
    e.ids.push_back(id);
    e.tokens.push_back(token(id));
    e.spans.push_back(span);
}

void Tokenizer::encodeKmers(Encoding& e, const std::string& s) const
{
    const int k = config_.k, n = static_cast<int>(s.size());
    for (int i = 0; i + k <= n; ++i) {
        const auto it = ids_.find(s.substr(static_cast<std::size_t>(i), static_cast<std::size_t>(k)));
        const bool known = it != ids_.end();
        e.unknownCount += known ? 0 : 1;
        push(e, known ? it->second : unkId_, {i, i + k});
    }
}

void Tokenizer::encodeGreedy(Encoding& e, const std::string& s) const
{
    const int n = static_cast<int>(s.size());
    for (int i = 0; i < n;) {
        int length = std::min(config_.k, n - i);
        auto it = ids_.end();
        for (; length > 0; --length)
            if ((it = ids_.find(s.substr(static_cast<std::size_t>(i), static_cast<std::size_t>(length)))) != ids_.end())
                break;
        const bool known = length > 0;
        e.unknownCount += known ? 0 : 1;
        length = std::max(length, 1);
        push(e, known ? it->second : unkId_, {i, i + length});
        i += length;
    }
}

void Tokenizer::encodeBpe(Encoding& e, const std::string& s) const
{
    // The Whitespace pre-tokenizer: runs of word characters, and runs of other characters that are no space.
    const auto word = [](unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; };
    std::vector<std::pair<int, TokenSpan>> tokens;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (std::isspace(c)) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && word(static_cast<unsigned char>(s[j])) == word(c))
            ++j;
        merges_.encodeWord(std::string_view(s).substr(i, j - i), static_cast<int>(i), ids_, unkId_, tokens);
        i = j;
    }
    for (const auto& [id, span] : tokens) {
        e.unknownCount += id == unkId_ ? 1 : 0;
        push(e, id, span);
    }
}

Encoding Tokenizer::encode(const std::string& sequence) const
{
    std::string s = sequence;
    if (config_.uppercase)
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    for (char& c : s) {
        const auto at = config_.replaceFrom.find(c);
        if (at != std::string::npos && at < config_.replaceTo.size())
            c = config_.replaceTo[at];
    }
    Encoding e;
    push(e, clsId_, {});
    if (config_.type == "greedy")
        encodeGreedy(e, s);
    else if (config_.type == "bpe")
        encodeBpe(e, s);
    else
        encodeKmers(e, s);
    if (sepId_ >= 0)
        push(e, sepId_, {});
    return e;
}

int Tokenizer::tokenCount(int bases) const
{
    const int body = longestTokens() ? (bases + config_.k - 1) / config_.k : std::max(0, bases - config_.k + 1);
    return 1 + body + (sepId_ >= 0 ? 1 : 0);
}

int Tokenizer::maxBases(int maxTokens) const
{
    const int body = maxTokens - 1 - (sepId_ >= 0 ? 1 : 0);
    return longestTokens() ? body * config_.k : body + config_.k - 1;
}

} // namespace attn
