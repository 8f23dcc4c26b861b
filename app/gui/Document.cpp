#include "gui/Document.h"

#include "model/ModelFamily.h"

namespace attn::app {

void Document::openModel(const QString& directory)
{
    auto model = loadModelPath(directory.toStdString()); // throws before anything changes
    model_ = std::move(model);
    modelPath_ = directory;
    emit modelChanged();
}

} // namespace attn::app
