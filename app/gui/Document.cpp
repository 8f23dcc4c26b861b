#include "gui/Document.h"

namespace attn::app {

void Document::openModel(const QString& directory)
{
    if (isCtModelDirectory(directory.toStdString())) {
        auto ct = loadCtModel(directory.toStdString()); // throws before anything changes
        ctModel_ = std::move(ct);
        ctModelPath_ = directory;
        emit ctModelChanged();
        return;
    }
    auto model = loadModel(directory.toStdString()); // throws before anything changes
    model_ = std::move(model);
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
