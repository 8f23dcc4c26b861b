#include "model/tokenizers/Bpe.h"

#include "util/Error.h"

#include <queue>

namespace attn {
namespace {

/// One symbol of the word being merged: a doubly linked list over the characters.
struct Symbol {
    int id = 0;
    int begin = 0, end = 0; // letters of the input
    int prev = -1, next = -1;
    bool alive = true;
};

/// A candidate merge of symbols `left` and its next, which had id `rightId` when queued.
struct Candidate {
    int rank, left, rightId;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
};

std::size_t utf8Length(unsigned char lead)
{
    return lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
}

std::vector<Symbol> characters(std::string_view word, int offset, const std::unordered_map<std::string, int>& ids, int unk)
{
    std::vector<Symbol> symbols;
    for (std::size_t i = 0; i < word.size();) {
        const std::size_t n = std::min(utf8Length(static_cast<unsigned char>(word[i])), word.size() - i);
        const auto it = ids.find(std::string(word.substr(i, n)));
        const int index = static_cast<int>(symbols.size());
        symbols.push_back({it == ids.end() ? unk : it->second, offset + static_cast<int>(i), offset + static_cast<int>(i + n), index - 1, -1});
        if (index > 0)
            symbols[static_cast<std::size_t>(index - 1)].next = index;
        i += n;
    }
    return symbols;
}

} // namespace

BpeMerges::BpeMerges(const std::vector<std::pair<std::string, std::string>>& merges, const std::unordered_map<std::string, int>& ids,
                     const std::string& where)
{
    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const auto& [a, b] = merges[rank];
        const auto left = ids.find(a), right = ids.find(b), merged = ids.find(a + b);
        check<FormatError>(left != ids.end() && right != ids.end() && merged != ids.end(),
                           where + ": merge " + std::to_string(rank) + " ('" + a + " " + b + "') joins or makes a token the vocabulary lacks");
        table_.emplace(key(left->second, right->second), Merge{static_cast<int>(rank), merged->second}); // the first rank wins
    }
}

void BpeMerges::encodeWord(std::string_view word, int offset, const std::unordered_map<std::string, int>& ids, int unk,
                           std::vector<std::pair<int, TokenSpan>>& out) const
{
    std::vector<Symbol> s = characters(word, offset, ids, unk);
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    const auto consider = [&](int left) {
        const int right = left >= 0 ? s[static_cast<std::size_t>(left)].next : -1;
        if (right < 0)
            return;
        const auto it = table_.find(key(s[static_cast<std::size_t>(left)].id, s[static_cast<std::size_t>(right)].id));
        if (it != table_.end())
            queue.push({it->second.rank, left, s[static_cast<std::size_t>(right)].id});
    };
    for (int i = 0; i + 1 < static_cast<int>(s.size()); ++i)
        consider(i);
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        Symbol& left = s[static_cast<std::size_t>(c.left)];
        if (!left.alive || left.next < 0 || s[static_cast<std::size_t>(left.next)].id != c.rightId)
            continue; // stale: one of the two was merged into something else
        const auto it = table_.find(key(left.id, c.rightId));
        if (it == table_.end() || it->second.rank != c.rank)
            continue;
        Symbol& right = s[static_cast<std::size_t>(left.next)];
        left.id = it->second.id;
        left.end = right.end;
        right.alive = false;
        left.next = right.next;
        if (right.next >= 0)
            s[static_cast<std::size_t>(right.next)].prev = c.left;
        consider(left.prev);
        consider(c.left);
    }
    for (const Symbol& symbol : s)
        if (symbol.alive)
            out.push_back({symbol.id, {symbol.begin, symbol.end}});
}

} // namespace attn
