#include "model/CharTokenizer.h"

#include <cctype>

namespace attn {

CharTokenizer::CharTokenizer(TokenizerConfig config)
    : config_(std::move(config))
{
    for (std::size_t i = 0; i < config_.vocab.size(); ++i)
        ids_.emplace(config_.vocab[i], static_cast<int>(i)); // first occurrence wins
    clsId_ = ids_.at(config_.cls);
    padId_ = ids_.at(config_.pad);
    unkId_ = ids_.at(config_.unk);
}

Encoding CharTokenizer::encode(const std::string& sequence) const
{
    Encoding e;
    e.ids.reserve(sequence.size() + 1);
    e.ids.push_back(clsId_);
    for (char c : sequence) {
        if (config_.uppercase)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        const auto it = ids_.find(std::string(1, c));
        const bool known = it != ids_.end();
        e.unknownCount += known ? 0 : 1;
        e.ids.push_back(known ? it->second : unkId_);
    }
    for (int id : e.ids)
        e.tokens.push_back(token(id));
    return e;
}

} // namespace attn
