#include "common/RunData.h"

namespace attn::widgets {

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
    return data;
}

} // namespace attn::widgets
