#include "checkpoint/TorchGlobals.h"

#include "util/Error.h"

#include <array>
#include <utility>

namespace attn::pickle {
namespace {

using Kind = PickleValue::Kind;

/// The storage classes, as PyTorch's persistent ids name them, and their element types.
constexpr std::array<std::pair<const char*, StorageType>, 11> kStorages{{
    {"torch.FloatStorage", StorageType::F32},   {"torch.HalfStorage", StorageType::F16},
    {"torch.BFloat16Storage", StorageType::BF16}, {"torch.DoubleStorage", StorageType::F64},
    {"torch.LongStorage", StorageType::I64},    {"torch.IntStorage", StorageType::I32},
    {"torch.ShortStorage", StorageType::I16},   {"torch.CharStorage", StorageType::I8},
    {"torch.ByteStorage", StorageType::U8},     {"torch.BoolStorage", StorageType::Bool},
    {"torch.UntypedStorage", StorageType::U8},
}};

/// Every other global a checkpoint may name (what torch.load(weights_only=True) allows that a
/// state dict or fair-esm's files use). Only these are ever given a value; none is imported.
constexpr std::array<const char*, 10> kCallables{
    "collections.OrderedDict",         "torch._utils._rebuild_tensor_v2",        "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state", "torch._tensor._rebuild_from_type_v2",
    "torch.Size",                      "torch.Tensor",                            "torch.nn.parameter.Parameter",
    "argparse.Namespace"};

[[noreturn]] void fail(const std::string& where, const std::string& problem)
{
    throw FormatError(where + ": " + problem);
}

const PickleValue& expect(const PickleGraph& g, PickleRef ref, Kind kind, const std::string& what, const std::string& where)
{
    if (!g.is(ref, kind))
        fail(where, what + " is not what PyTorch writes there");
    return g.at(ref);
}

std::int64_t integer(const PickleGraph& g, PickleRef ref, const std::string& what, const std::string& where)
{
    const std::int64_t v = expect(g, ref, Kind::Int, what, where).number;
    if (v < 0)
        fail(where, what + " is negative (" + std::to_string(v) + ")");
    return v;
}

std::vector<std::int64_t> integers(const PickleGraph& g, PickleRef ref, const std::string& what, const std::string& where)
{
    const PickleValue& t = expect(g, ref, Kind::Tuple, what, where);
    if (t.items.size() > 16)
        fail(where, what + " has " + std::to_string(t.items.size()) + " dimensions");
    std::vector<std::int64_t> out;
    for (PickleRef item : t.items)
        out.push_back(integer(g, item, what, where));
    return out;
}

/// The elements a view reaches, checked to lie inside its storage.
void checkView(const PickleValue& storage, const PickleValue& tensor, const std::string& where)
{
    if (tensor.shape.size() != tensor.stride.size())
        fail(where, "a tensor's size and stride differ in length");
    constexpr std::int64_t kLimit = std::int64_t{1} << 42;
    std::int64_t numel = 1, last = tensor.number;
    for (std::size_t i = 0; i < tensor.shape.size(); ++i) {
        const std::int64_t n = tensor.shape[i], s = tensor.stride[i];
        if (n == 0)
            return; // an empty tensor reaches nothing
        if (n > kLimit / numel || ((n - 1) > 0 && s > (kLimit - last) / (n - 1)))
            fail(where, "a tensor of size " + std::to_string(n) + " and stride " + std::to_string(s) + " is larger than any storage");
        numel *= n;
        last += (n - 1) * s;
    }
    if (last >= storage.number || numel > storage.number)
        fail(where, "a tensor reaches element " + std::to_string(last) + " of a storage of " + std::to_string(storage.number)
                        + (numel > storage.number ? " (expanded views are not read)" : ""));
}

PickleRef rebuildTensor(PickleGraph& g, const std::vector<PickleRef>& args, const std::string& where)
{
    if (args.size() < 4)
        fail(where, "a tensor is rebuilt from " + std::to_string(args.size()) + " arguments, not at least 4");
    expect(g, args[0], Kind::Storage, "a tensor's storage", where);
    PickleValue t;
    t.kind = Kind::Tensor;
    t.items = {args[0]};
    t.number = integer(g, args[1], "a tensor's storage offset", where);
    t.shape = integers(g, args[2], "a tensor's size", where);
    t.stride = integers(g, args[3], "a tensor's stride", where);
    checkView(g.at(args[0]), t, where);
    return g.add(std::move(t));
}

PickleRef dictFromPairs(PickleGraph& g, const std::vector<PickleRef>& args, const std::string& where)
{
    PickleValue d;
    d.kind = Kind::Dict;
    if (!args.empty()) {
        const PickleValue& pairs = g.at(args[0]);
        if (pairs.kind != Kind::List && pairs.kind != Kind::Tuple)
            fail(where, "OrderedDict is given something other than a list of pairs");
        for (PickleRef p : pairs.items) {
            const PickleValue& kv = g.at(p);
            if ((kv.kind != Kind::List && kv.kind != Kind::Tuple) || kv.items.size() != 2)
                fail(where, "OrderedDict is given an item that is not a (key, value) pair");
            d.entries.emplace_back(kv.items[0], kv.items[1]);
        }
    }
    return g.add(std::move(d));
}

PickleRef record(PickleGraph& g, const std::string& cls)
{
    PickleValue r;
    r.kind = Kind::Record;
    r.text = cls;
    return g.add(std::move(r));
}

PickleRef apply(PickleGraph& g, const std::string& fn, const std::vector<PickleRef>& args, const std::string& where, int depth);

PickleRef fromType(PickleGraph& g, const std::vector<PickleRef>& args, const std::string& where, int depth)
{
    if (args.size() != 4 || depth > 0)
        fail(where, "_rebuild_from_type_v2 is not given (function, type, arguments, state)");
    const std::string type = expect(g, args[1], Kind::Global, "the rebuilt type", where).text; // copies: apply adds to g
    if (type != "torch.Tensor" && type != "torch.nn.parameter.Parameter")
        fail(where, "a tensor of type '" + type + "' (only torch.Tensor and Parameter are read)");
    const std::string fn = expect(g, args[0], Kind::Global, "the rebuild function", where).text;
    const std::vector<PickleRef> inner = expect(g, args[2], Kind::Tuple, "the rebuild arguments", where).items;
    return apply(g, fn, inner, where, depth + 1);
}

PickleRef apply(PickleGraph& g, const std::string& fn, const std::vector<PickleRef>& args, const std::string& where, int depth)
{
    if (fn == "collections.OrderedDict")
        return dictFromPairs(g, args, where);
    if (fn == "torch._utils._rebuild_tensor_v2" || fn == "torch._utils._rebuild_tensor")
        return rebuildTensor(g, args, where);
    if (fn == "torch._utils._rebuild_parameter" || fn == "torch._utils._rebuild_parameter_with_state") {
        if (args.empty())
            fail(where, fn + " is given no tensor");
        expect(g, args[0], Kind::Tensor, "a parameter's data", where);
        return args[0];
    }
    if (fn == "torch._tensor._rebuild_from_type_v2")
        return fromType(g, args, where, depth);
    if (fn == "torch.Size" && args.size() == 1 && g.is(args[0], Kind::Tuple))
        return g.add(g.at(args[0]));
    if (fn == "argparse.Namespace" && args.empty())
        return record(g, fn);
    fail(where, "the global '" + fn + "' is not called that way in a checkpoint");
}

} // namespace

PickleRef global(PickleGraph& graph, const std::string& module, const std::string& name, const std::string& where)
{
    const std::string full = module + "." + name;
    PickleValue v;
    v.kind = Kind::Global;
    v.text = full;
    for (const auto& [storage, type] : kStorages)
        if (full == storage)
            return graph.add(std::move(v));
    for (const char* allowed : kCallables)
        if (full == allowed)
            return graph.add(std::move(v));
    fail(where, "refuses the pickled global '" + full
                    + "': a checkpoint may hold only tensors, dicts, lists, plain values and argparse.Namespace records; nothing in it "
                      "is imported or run");
}

PickleRef reduce(PickleGraph& graph, PickleRef callable, PickleRef args, const std::string& where)
{
    const std::string fn = expect(graph, callable, Kind::Global, "a called object", where).text;
    const std::vector<PickleRef> list = expect(graph, args, Kind::Tuple, "a call's arguments", where).items;
    return apply(graph, fn, list, where, 0);
}

PickleRef newObject(PickleGraph& graph, PickleRef cls, PickleRef args, const std::string& where)
{
    const std::string name = expect(graph, cls, Kind::Global, "a constructed class", where).text;
    expect(graph, args, Kind::Tuple, "a constructor's arguments", where);
    if (name == "argparse.Namespace")
        return record(graph, name);
    if (name == "collections.OrderedDict")
        return dictFromPairs(graph, {}, where);
    fail(where, "the global '" + name + "' is not constructed in a checkpoint");
}

void build(PickleGraph& graph, PickleRef target, PickleRef state, const std::string& where)
{
    const Kind kind = graph.at(target).kind;
    if (kind == Kind::Dict || kind == Kind::Tensor)
        return; // an OrderedDict's attributes (_metadata), a tensor's Python state: not weights
    if (kind != Kind::Record)
        fail(where, "BUILD on something that is not a record, a dict or a tensor");
    const PickleValue& s = expect(graph, state, Kind::Dict, "a record's state", where);
    for (const auto& [key, value] : s.entries)
        expect(graph, key, Kind::Text, "a record's field name", where);
    const auto entries = s.entries; // a copy: the state may be the record itself
    auto& fields = graph.at(target).entries;
    fields.insert(fields.end(), entries.begin(), entries.end());
}

PickleRef persistentLoad(PickleGraph& graph, PickleRef id, const std::string& where)
{
    const std::vector<PickleRef> t = expect(graph, id, Kind::Tuple, "a persistent id", where).items;
    if (t.size() != 5 || !graph.is(t[0], Kind::Text) || graph.at(t[0]).text != "storage")
        fail(where, "a persistent id that is not ('storage', class, key, location, size)");
    const std::string& cls = expect(graph, t[1], Kind::Global, "a storage's class", where).text;
    PickleValue s;
    s.kind = Kind::Storage;
    bool known = false;
    for (const auto& [name, type] : kStorages)
        if (cls == name)
            s.storage = type, known = true;
    if (!known)
        fail(where, "'" + cls + "' is not a storage class");
    s.text = expect(graph, t[2], Kind::Text, "a storage's key", where).text;
    if (s.text.empty() || s.text.size() > 32 || s.text.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz_") != std::string::npos)
        fail(where, "a storage key '" + s.text.substr(0, 40) + "' that is not a plain name");
    s.number = integer(graph, t[4], "a storage's size", where);
    return graph.add(std::move(s));
}

} // namespace attn::pickle
