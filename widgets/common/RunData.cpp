#include "common/RunData.h"

#include "render/Downsample.h"

namespace attn::widgets {

std::vector<Matrix> headThumbnails(const AttentionStore& store)
{
    std::vector<Matrix> out;
    for (int l = 0; l < store.layers(); ++l)
        for (int h = 0; h < store.heads(); ++h)
            out.push_back(store.hasLayer(l) ? downsampleMax(store.head(l, h), kThumbnailCells, kThumbnailCells) : Matrix());
    return out;
}

RunData makeRunData(std::shared_ptr<const RunResult> result, TokenAxis axis, const std::vector<std::string>& labels,
                    const QString& name)
{
    RunData data;
    data.result = std::move(result);
    data.axis = std::move(axis);
    for (const std::string& t : data.axis.labels)
        data.tokens << QString::fromStdString(t);
    for (const std::string& l : labels)
        data.labels << QString::fromStdString(l);
    data.name = name;
    data.thumbnails = std::make_shared<const std::vector<Matrix>>(headThumbnails(data.result->attention));
    data.stats = std::make_shared<const std::vector<HeadStats>>(
        headStatistics(data.result->attention, data.result->keyPadding, data.axis));
    return data;
}

RunData sequenceRunData(const SequenceModel& model, const Encoding& encoding, const std::string& sequence, const QString& name,
                        std::shared_ptr<const RunResult> result)
{
    RunData data = makeRunData(std::move(result), sequenceTokenAxis(encoding), model.encoderConfig().labels, name);
    data.unknownCount = encoding.unknownCount;
    data.bases = QString::fromStdString(sequence);
    data.spans = encoding.spans;
    return data;
}

} // namespace attn::widgets
