#pragma once
/// @file Document.h
/// The open model, of any family. Loading replaces it only when it succeeds, so a bad model
/// folder never costs what was open. (Each kind's workspace holds its own open data.)

#include "model/Model.h"

#include <QObject>
#include <QString>

#include <memory>

namespace attn::app {

/// The open model, with a change notification.
class Document : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// Loads a model directory of any family; throws attn::Error (state unchanged) on failure.
    void openModel(const QString& directory);
    /// The open model, or null.
    std::shared_ptr<const Model> model() const { return model_; }
    /// Path of the open model directory.
    const QString& modelPath() const { return modelPath_; }

signals:
    /// The model was replaced.
    void modelChanged();

private:
    std::shared_ptr<const Model> model_;
    QString modelPath_;
};

} // namespace attn::app
