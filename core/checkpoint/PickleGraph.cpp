#include "checkpoint/PickleGraph.h"

namespace attn {

int storageItemSize(StorageType type)
{
    switch (type) {
    case StorageType::F64:
    case StorageType::I64: return 8;
    case StorageType::F32:
    case StorageType::I32: return 4;
    case StorageType::F16:
    case StorageType::BF16:
    case StorageType::I16: return 2;
    case StorageType::I8:
    case StorageType::U8:
    case StorageType::Bool: return 1;
    }
    return 1;
}

bool isFloatStorage(StorageType type)
{
    return type == StorageType::F32 || type == StorageType::F16 || type == StorageType::BF16 || type == StorageType::F64;
}

PickleRef PickleGraph::add(PickleValue value)
{
    values_.push_back(std::move(value));
    return values_.size() - 1;
}

std::optional<PickleRef> PickleGraph::field(PickleRef container, const std::string& key) const
{
    const PickleValue& c = at(container);
    if (c.kind != PickleValue::Kind::Dict && c.kind != PickleValue::Kind::Record)
        return std::nullopt;
    for (auto it = c.entries.rbegin(); it != c.entries.rend(); ++it) // the last assignment wins, as in Python
        if (at(it->first).kind == PickleValue::Kind::Text && at(it->first).text == key)
            return it->second;
    return std::nullopt;
}

} // namespace attn
