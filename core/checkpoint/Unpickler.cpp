#include "checkpoint/Unpickler.h"

#include "checkpoint/TorchGlobals.h"
#include "util/Error.h"

#include <cstring>
#include <unordered_map>

namespace attn {
namespace {

using Kind = PickleValue::Kind;

/// An empty value of one kind (a new list or dict).
PickleValue valueOf(Kind kind)
{
    PickleValue v;
    v.kind = kind;
    return v;
}

/// The machine: the bytes, the stack with its marks, the memo, and the graph being built.
class Machine {
public:
    Machine(std::string_view bytes, const std::string& source) : in_(bytes), source_(source) {}
    PickleGraph run();

private:
    bool step(unsigned char op);
    bool stepValue(unsigned char op);
    bool stepText(unsigned char op);
    bool stepContainer(unsigned char op);
    bool stepMemo(unsigned char op);
    bool stepObject(unsigned char op);

    std::string where() const { return source_ + " (byte " + std::to_string(opAt_) + ")"; }
    [[noreturn]] void fail(const std::string& problem) const { throw FormatError(where() + ": " + problem); }
    std::string_view take(std::uint64_t n);
    std::uint64_t unsignedLe(int bytes);
    std::string line();
    PickleRef push(PickleValue v);
    void pushRef(PickleRef ref);
    PickleRef pop();
    PickleRef top();
    std::vector<PickleRef> popToMark();
    PickleRef& memoSlot(std::uint64_t key);
    void setItems(PickleRef dict, const std::vector<PickleRef>& kv);
    void appendItems(PickleRef list, const std::vector<PickleRef>& items);
    PickleRef makeTuple(std::vector<PickleRef> items);

    std::string_view in_;
    std::string source_;
    std::size_t pos_ = 0, opAt_ = 0;
    PickleGraph graph_;
    std::vector<PickleRef> stack_;
    std::vector<std::size_t> marks_;
    std::unordered_map<std::uint64_t, PickleRef> memo_;
};

std::string_view Machine::take(std::uint64_t n)
{
    if (n > in_.size() - pos_)
        fail("the pickle ends inside an opcode's argument");
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
}

std::uint64_t Machine::unsignedLe(int bytes)
{
    const std::string_view s = take(bytes);
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(s[i]);
    return v;
}

std::string Machine::line()
{
    const std::size_t end = in_.find('\n', pos_);
    if (end == std::string_view::npos || end - pos_ > 256)
        fail("a GLOBAL's name is not a line of at most 256 characters");
    std::string s(in_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
}

/// More values than any state dict's pickle makes (a 2.5-billion-parameter checkpoint makes tens
/// of thousands): a bound on what a hostile pickle can make this allocate.
constexpr std::size_t kMaxValues = 4'000'000;

PickleRef Machine::push(PickleValue v)
{
    if (graph_.size() >= kMaxValues)
        fail("the pickle makes more than " + std::to_string(kMaxValues) + " values; no checkpoint's state dict does");
    const PickleRef r = graph_.add(std::move(v));
    pushRef(r);
    return r;
}

void Machine::pushRef(PickleRef ref)
{
    if (stack_.size() >= kMaxValues)
        fail("the pickle's stack grows past " + std::to_string(kMaxValues) + " values; no checkpoint's does");
    stack_.push_back(ref);
}

PickleRef Machine::pop()
{
    if (stack_.size() <= (marks_.empty() ? 0 : marks_.back()))
        fail("the pickle takes more from its stack than it put there");
    const PickleRef r = stack_.back();
    stack_.pop_back();
    return r;
}

PickleRef Machine::top()
{
    const PickleRef r = pop();
    stack_.push_back(r);
    return r;
}

std::vector<PickleRef> Machine::popToMark()
{
    if (marks_.empty())
        fail("the pickle closes a MARK it never opened");
    std::vector<PickleRef> items(stack_.begin() + static_cast<std::ptrdiff_t>(marks_.back()), stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return items;
}

PickleRef& Machine::memoSlot(std::uint64_t key)
{
    const auto it = memo_.find(key);
    if (it == memo_.end())
        fail("the pickle reads memo entry " + std::to_string(key) + ", which it never stored");
    return it->second;
}

PickleRef Machine::makeTuple(std::vector<PickleRef> items)
{
    PickleValue v;
    v.kind = Kind::Tuple;
    v.items = std::move(items);
    return push(std::move(v));
}

void Machine::setItems(PickleRef dict, const std::vector<PickleRef>& kv)
{
    if (!graph_.is(dict, Kind::Dict))
        fail("the pickle sets items on something that is not a dict");
    if (kv.size() % 2 != 0)
        fail("the pickle sets a key without a value");
    for (std::size_t i = 0; i + 1 < kv.size(); i += 2)
        graph_.at(dict).entries.emplace_back(kv[i], kv[i + 1]);
}

void Machine::appendItems(PickleRef list, const std::vector<PickleRef>& items)
{
    if (!graph_.is(list, Kind::List))
        fail("the pickle appends to something that is not a list");
    auto& target = graph_.at(list).items;
    target.insert(target.end(), items.begin(), items.end());
}

bool Machine::stepValue(unsigned char op)
{
    PickleValue v;
    switch (op) {
    case 'N': break;
    case 0x88: v.kind = Kind::Bool, v.number = 1; break;
    case 0x89: v.kind = Kind::Bool; break;
    case 'J': v.kind = Kind::Int, v.number = static_cast<std::int32_t>(unsignedLe(4)); break;
    case 'K': v.kind = Kind::Int, v.number = static_cast<std::int64_t>(unsignedLe(1)); break;
    case 'M': v.kind = Kind::Int, v.number = static_cast<std::int64_t>(unsignedLe(2)); break;
    case 0x8a: { // LONG1: n bytes, little-endian two's complement
        const auto n = static_cast<int>(unsignedLe(1));
        if (n > 8)
            fail("an integer of " + std::to_string(n) + " bytes, wider than 64 bits");
        const std::uint64_t raw = n == 0 ? 0 : unsignedLe(n);
        const int shift = 64 - 8 * n;
        v.kind = Kind::Int;
        v.number = n == 0 ? 0 : static_cast<std::int64_t>(raw << shift) >> shift;
        break;
    }
    case 'G': { // BINFLOAT: big-endian double
        std::uint64_t bits = 0;
        for (char c : take(8))
            bits = (bits << 8) | static_cast<unsigned char>(c);
        v.kind = Kind::Float;
        std::memcpy(&v.real, &bits, sizeof bits);
        break;
    }
    default: return false;
    }
    push(std::move(v));
    return true;
}

bool Machine::stepText(unsigned char op)
{
    PickleValue v;
    v.kind = Kind::Text;
    switch (op) {
    case 'X': v.text = take(unsignedLe(4)); break;
    case 0x8c: v.text = take(unsignedLe(1)); break;
    case 0x8d: v.text = take(unsignedLe(8)); break;
    case 'T': v.text = take(unsignedLe(4)); break; // BINSTRING (protocol 0-2 str)
    case 'U': v.text = take(unsignedLe(1)); break;
    case 'B': v.kind = Kind::Bytes, v.text = take(unsignedLe(4)); break;
    case 'C': v.kind = Kind::Bytes, v.text = take(unsignedLe(1)); break;
    case 0x8e: v.kind = Kind::Bytes, v.text = take(unsignedLe(8)); break;
    default: return false;
    }
    push(std::move(v));
    return true;
}

bool Machine::stepContainer(unsigned char op)
{
    switch (op) {
    case '}': push(valueOf(Kind::Dict)); break;
    case ']': push(valueOf(Kind::List)); break;
    case ')': makeTuple({}); break;
    case '(': marks_.push_back(stack_.size()); break;
    case 't': makeTuple(popToMark()); break;
    case 0x85: { const PickleRef a = pop(); makeTuple({a}); break; }
    case 0x86: { const PickleRef b = pop(), a = pop(); makeTuple({a, b}); break; }
    case 0x87: { const PickleRef c = pop(), b = pop(), a = pop(); makeTuple({a, b, c}); break; }
    case 'l': { auto items = popToMark(); appendItems(push(valueOf(Kind::List)), items); break; }
    case 'd': { auto kv = popToMark(); setItems(push(valueOf(Kind::Dict)), kv); break; }
    case 's': { const PickleRef value = pop(), key = pop(); setItems(top(), {key, value}); break; }
    case 'u': { auto kv = popToMark(); setItems(top(), kv); break; }
    case 'a': { const PickleRef item = pop(); appendItems(top(), {item}); break; }
    case 'e': { auto items = popToMark(); appendItems(top(), items); break; }
    case '0': pop(); break;
    case '1': popToMark(); break;
    case '2': pushRef(top()); break;
    default: return false;
    }
    return true;
}

bool Machine::stepMemo(unsigned char op)
{
    switch (op) {
    case 'q': memo_[unsignedLe(1)] = top(); break;
    case 'r': memo_[unsignedLe(4)] = top(); break;
    case 0x94: { const PickleRef t = top(); memo_[memo_.size()] = t; break; }
    case 'h': pushRef(memoSlot(unsignedLe(1))); break;
    case 'j': pushRef(memoSlot(unsignedLe(4))); break;
    default: return false;
    }
    return true;
}

bool Machine::stepObject(unsigned char op)
{
    switch (op) {
    case 'c': {
        const std::string module = line(), name = line();
        pushRef(pickle::global(graph_, module, name, where()));
        break;
    }
    case 0x93: {
        const PickleRef name = pop(), module = pop();
        if (!graph_.is(module, Kind::Text) || !graph_.is(name, Kind::Text))
            fail("STACK_GLOBAL's module and name are not text");
        pushRef(pickle::global(graph_, graph_.at(module).text, graph_.at(name).text, where()));
        break;
    }
    case 'R': { const PickleRef args = pop(), fn = pop(); pushRef(pickle::reduce(graph_, fn, args, where())); break; }
    case 0x81: { const PickleRef args = pop(), cls = pop(); pushRef(pickle::newObject(graph_, cls, args, where())); break; }
    case 'b': { const PickleRef state = pop(); pickle::build(graph_, top(), state, where()); break; }
    case 'Q': { const PickleRef id = pop(); pushRef(pickle::persistentLoad(graph_, id, where())); break; }
    default: return false;
    }
    return true;
}

bool Machine::step(unsigned char op)
{
    switch (op) {
    case 0x80: // PROTO
        if (const auto protocol = unsignedLe(1); protocol < 2 || protocol > 5)
            fail("pickle protocol " + std::to_string(protocol) + " (checkpoints use 2 to 5)");
        return true;
    case 0x95: unsignedLe(8); return true; // FRAME: a length hint only
    case '.': return false;                // STOP
    default: break;
    }
    if (stepValue(op) || stepText(op) || stepContainer(op) || stepMemo(op) || stepObject(op))
        return true;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", op);
    fail(std::string("pickle opcode ") + hex + ", which no PyTorch checkpoint needs, is not read");
}

PickleGraph Machine::run()
{
    while (true) {
        opAt_ = pos_;
        if (pos_ >= in_.size())
            fail("the pickle ends without STOP");
        if (!step(static_cast<unsigned char>(in_[pos_++])))
            break;
    }
    if (stack_.size() != 1 || !marks_.empty())
        fail("the pickle stops with " + std::to_string(stack_.size()) + " values on its stack, not one");
    graph_.setRoot(stack_.back());
    return std::move(graph_);
}

} // namespace

PickleGraph unpickle(std::string_view bytes, const std::string& source)
{
    return Machine(bytes, source).run();
}

} // namespace attn
