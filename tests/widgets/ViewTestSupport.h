#pragma once
/// @file ViewTestSupport.h
/// Runs and image checks shared by the view tests.

#include "common/RunData.h"
#include "model/torch_encoder/EncoderModel.h"

#include "TestSupport.h"

#include <QImage>
#include <QSet>

#include <cstdlib>

namespace attn::test {

/// The view data of a model's run on one sequence (the DNA kind makes them the same way).
inline widgets::RunData sequenceRun(const EncoderModel& model, const std::string& sequence, const QString& name,
                                    const RunOptions& options = {})
{
    const Encoding enc = model.tokenizer().encode(sequence);
    return widgets::sequenceRunData(model, enc, sequence, name, std::make_shared<const RunResult>(model.run(enc.ids, {}, options)));
}

/// A run of a golden model on a sequence.
inline widgets::RunData goldenRun(const char* model = "preln_gelu", const std::string& sequence = "ACGTNACGTACG")
{
    return sequenceRun(*loadModel(goldenDir(model)), sequence, "rec");
}

/// A one-layer, one-head run of L tokens whose attention is a tiny uniform floor with a
/// single weight 1 at (query, key).
inline widgets::RunData spikeRun(Index length, Index query, Index key)
{
    auto result = std::make_shared<RunResult>();
    result->attention = AttentionStore(1, 1, length, {});
    Matrix m = Matrix::Constant(length, length, 1e-6f);
    m(query, key) = 1.0f;
    result->attention.writeRows(0, 0, 0, m);
    result->logits = Vector::Zero(2);
    widgets::RunData run;
    run.result = result;
    std::vector<std::string> labels;
    for (Index i = 0; i < length; ++i)
        labels.push_back(i == 0 ? "[CLS]" : "A");
    run.axis = indexTokenAxis(labels);
    for (const std::string& t : labels)
        run.tokens << QString::fromStdString(t);
    run.labels = {"a", "b"};
    run.name = "spike";
    return run;
}

/// Number of pixels that are not white.
inline int nonWhitePixels(const QImage& image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if ((image.pixel(x, y) & 0xffffff) != 0xffffff)
                ++n;
    return n;
}

/// Mean absolute difference per channel, 0..255, of two images of the same size.
inline double meanDifference(const QImage& a, const QImage& b)
{
    double sum = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            sum += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) + std::abs(qBlue(p) - qBlue(q));
        }
    return sum / (3.0 * a.width() * a.height());
}

/// Number of distinct colours in an image (a blank one has 1).
inline int distinctColours(const QImage& image)
{
    QSet<QRgb> seen;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            seen.insert(image.pixel(x, y));
    return static_cast<int>(seen.size());
}

} // namespace attn::test
