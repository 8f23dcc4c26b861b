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

RunData runSequence(const EncoderModel& model, const std::string& sequence, const QString& name,
                    const RunOptions& options)
{
    const Encoding enc = model.tokenizer().encode(sequence);
    RunData data;
    data.result = std::make_shared<const RunResult>(model.run(enc.ids, {}, options));
    for (const std::string& t : enc.tokens)
        data.tokens << QString::fromStdString(t);
    for (const std::string& l : model.config().labels)
        data.labels << QString::fromStdString(l);
    data.name = name;
    data.unknownCount = enc.unknownCount;
    data.bases = QString::fromStdString(sequence);
    data.spans = enc.spans;
    data.thumbnails = std::make_shared<const std::vector<Matrix>>(headThumbnails(data.result->attention));
    data.stats = std::make_shared<const std::vector<HeadStats>>(headStatistics(data.result->attention, data.result->keyPadding));
    return data;
}

} // namespace attn::widgets
