#include "gui/Document.h"

#include "model/ModelFamily.h"

namespace attn::app {

void Document::openModel(const QString& directory)
{
    const auto any = loadModelDirectory(directory.toStdString()); // throws before anything changes
    if (auto ct = std::dynamic_pointer_cast<const CtModel>(any)) {
        ctModel_ = std::move(ct);
        ctModelPath_ = directory;
        emit ctModelChanged();
        return;
    }
    model_ = modelAs<EncoderModel>(any, directory.toStdString(), "a sequence model");
    modelPath_ = directory;
    emit modelChanged();
}

void Document::openData(const QString& path)
{
    auto records = readFasta(path.toStdString());
    records_ = std::move(records);
    dataPath_ = path;
    emit dataChanged();
}

} // namespace attn::app
