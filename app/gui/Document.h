#pragma once
/// @file Document.h
/// What the user has open: a model and a data file. Loading replaces the current
/// model or data only when it succeeds, so a bad file never costs what was open.

#include "io/FastaReader.h"
#include "model/CtModel.h"
#include "model/EncoderModel.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace attn::app {

/// The open model and data, with change notifications.
class Document : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// Loads a model directory (a sequence model, or a ct_encoder CT model); throws attn::Error
    /// (state unchanged) on failure.
    void openModel(const QString& directory);
    /// Loads a FASTA file; throws attn::Error (state unchanged) on failure.
    void openData(const QString& path);

    /// The open model, or null.
    std::shared_ptr<const EncoderModel> model() const { return model_; }
    /// Path of the open model directory.
    const QString& modelPath() const { return modelPath_; }
    /// The open CT model, or null.
    std::shared_ptr<const CtModel> ctModel() const { return ctModel_; }
    /// Path of the open CT model directory.
    const QString& ctModelPath() const { return ctModelPath_; }
    /// Records of the open data file.
    const std::vector<FastaRecord>& records() const { return records_; }
    /// Path of the open data file.
    const QString& dataPath() const { return dataPath_; }
    /// True if nothing is open.
    bool isEmpty() const { return !model_ && records_.empty() && !ctModel_; }

signals:
    /// The model was replaced.
    void modelChanged();
    /// The data was replaced.
    void dataChanged();
    /// The CT model was replaced.
    void ctModelChanged();

private:
    std::shared_ptr<const EncoderModel> model_;
    std::shared_ptr<const CtModel> ctModel_;
    QString ctModelPath_;
    QString modelPath_;
    std::vector<FastaRecord> records_;
    QString dataPath_;
};

} // namespace attn::app
