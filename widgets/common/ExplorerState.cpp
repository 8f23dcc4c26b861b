#include "common/ExplorerState.h"

#include <algorithm>

namespace attn::widgets {

ExplorerState::ExplorerState(QObject* parent) : QObject(parent), colormap_(Colormap::byName("viridis")) {}

void ExplorerState::setRun(RunData run)
{
    const bool sameTokens = run.tokens == run_.tokens;
    run_ = std::move(run);
    sourceMaps_.reset(); // the views read shownStore on runChanged: no decomposition of another run
    layer_ = std::clamp(layer_, 0, std::max(0, run_.layers() - 1));
    head_ = std::clamp(head_, 0, std::max(0, run_.heads() - 1));
    if (!sameTokens || token_ >= run_.length()) // a token is a place in its input
        token_ = -1;
    if (compareLayer_ >= run_.layers() || compareHead_ >= run_.heads())
        compareLayer_ = compareHead_ = -1;
    emit runChanged();
}

void ExplorerState::clearRun()
{
    run_ = RunData{};
    sourceMaps_.reset();
    layer_ = head_ = 0;
    token_ = compareLayer_ = compareHead_ = -1;
    emit runChanged();
}

void ExplorerState::select(int layer, int head)
{
    layer = std::clamp(layer, 0, std::max(0, run_.layers() - 1));
    head = std::clamp(head, 0, std::max(0, run_.heads() - 1));
    if (layer == layer_ && head == head_)
        return;
    layer_ = layer;
    head_ = head;
    emit headChanged(layer_, head_);
}

void ExplorerState::selectToken(int token)
{
    token = (token >= 0 && token < run_.length()) ? token : -1;
    if (token == token_)
        return;
    token_ = token;
    emit tokenChanged(token_);
}

void ExplorerState::setColormap(const QString& name)
{
    colormap_ = Colormap::byName(name.toStdString());
    emit appearanceChanged();
}

void ExplorerState::setScale(ColourScale scale)
{
    if (scale == scale_)
        return;
    scale_ = scale;
    emit appearanceChanged();
}

void ExplorerState::setComparison(int layer, int head)
{
    const bool valid = layer >= 0 && layer < run_.layers() && head >= 0 && head < run_.heads();
    compareLayer_ = valid ? layer : -1;
    compareHead_ = valid ? head : -1;
    emit appearanceChanged();
}

QString ExplorerState::sourceName() const
{
    return sourceMaps_ ? QString::fromStdString(attributionMethodName(sourceMaps_->method)) : QStringLiteral("attention");
}

void ExplorerState::setSourceMaps(std::shared_ptr<const SourceMaps> maps)
{
    if (maps && (!hasRun() || maps->of != run_.result.get()))
        return;
    if (maps == sourceMaps_)
        return;
    sourceMaps_ = std::move(maps);
    emit sourceChanged();
}

} // namespace attn::widgets
