#include "gui/DocumentSummary.h"

#include <QFileInfo>

namespace attn::app {
namespace {

QString row(const QString& key, const QString& value)
{
    return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(key, value.toHtmlEscaped());
}

} // namespace

namespace {

QString ctModelSummaryHtml(const Document& doc)
{
    const auto ct = doc.ctModel();
    if (!ct)
        return {};
    const CtConfig& c = ct->config();
    const auto grid = c.tokenGrid();
    QStringList labels;
    for (const auto& l : c.encoder.labels)
        labels << QString::fromStdString(l);
    return "<p><b>CT model</b></p><table>" + row(QObject::tr("Folder"), QFileInfo(doc.ctModelPath()).fileName())
        + row(QObject::tr("Input grid"), QStringLiteral("%1 x %2 x %3").arg(c.inputSize[0]).arg(c.inputSize[1]).arg(c.inputSize[2]))
        + row(QObject::tr("HU window"), QStringLiteral("%1 to %2").arg(c.huWindow[0]).arg(c.huWindow[1]))
        + row(QObject::tr("Stem stages"), QString::number(c.stem.size()))
        + row(QObject::tr("Tokens"), QStringLiteral("%1 x %2 x %3 + [CLS]").arg(grid[0]).arg(grid[1]).arg(grid[2]))
        + row(QObject::tr("Layers x heads"), QStringLiteral("%1 x %2").arg(c.encoder.nLayers).arg(c.encoder.nHeads))
        + row(QObject::tr("Labels"), labels.join(", "))
        + row(QObject::tr("Parameters"), QLocale().toString(static_cast<qlonglong>(ct->weights().parameterCount())))
        + "</table>";
}

QString sequenceModelSummaryHtml(const Document& doc);

} // namespace

QString modelSummaryHtml(const Document& doc)
{
    return sequenceModelSummaryHtml(doc) + ctModelSummaryHtml(doc);
}

namespace {

QString sequenceModelSummaryHtml(const Document& doc)
{
    const auto model = doc.model();
    if (!model)
        return {};
    const ModelConfig& c = model->config();
    QStringList labels;
    for (const auto& l : c.labels)
        labels << QString::fromStdString(l);
    return "<table>" + row(QObject::tr("Folder"), QFileInfo(doc.modelPath()).fileName())
        + row(QObject::tr("Family"), QString::fromStdString(c.family))
        + row(QObject::tr("Layers x heads"), QStringLiteral("%1 x %2").arg(c.nLayers).arg(c.nHeads))
        + row(QObject::tr("d_model / FF"), QStringLiteral("%1 / %2").arg(c.dModel).arg(c.dimFeedforward))
        + row(QObject::tr("Layers"), QString(c.normFirst ? "pre-LN, " : "post-LN, ")
                                         + QString::fromStdString(activationName(c.activation)))
        + row(QObject::tr("Positions"), QString::fromStdString(positionalName(c.positional)))
        + row(QObject::tr("Max tokens"), QString::number(c.maxLen))
        + row(QObject::tr("Labels"), labels.join(", "))
        + row(QObject::tr("Parameters"), QLocale().toString(static_cast<qlonglong>(model->weights().parameterCount())))
        + "</table>";
}

} // namespace

QString dataSummaryHtml(const Document& doc)
{
    if (doc.records().empty())
        return {};
    QString html = "<p><b>" + QFileInfo(doc.dataPath()).fileName().toHtmlEscaped() + "</b>: "
        + QObject::tr("%n record(s)", "", static_cast<int>(doc.records().size())) + "</p><table>";
    for (const FastaRecord& r : doc.records())
        html += row(QString::fromStdString(r.name).toHtmlEscaped(), QObject::tr("%1 nt").arg(r.sequence.size()));
    return html + "</table>";
}

QString documentSummaryHtml(const Document& doc)
{
    QString html = "<h2>" + QObject::tr("Loaded") + "</h2><ul>";
    html += "<li>" + QObject::tr("Model: %1").arg(doc.model() ? doc.modelPath().toHtmlEscaped() : QObject::tr("none")) + "</li>";
    html += "<li>" + QObject::tr("Data: %1").arg(doc.records().empty() ? QObject::tr("none") : doc.dataPath().toHtmlEscaped())
        + "</li></ul>";
    html += "<p>" + QObject::tr("Running a model from the window arrives with the DNA attention explorer. Today, "
                                "<tt>attnscope-cli run --model MODEL --input FASTA --out DIR</tt> writes every layer's "
                                "per-head attention, the logits and the rollout.") + "</p>";
    return html;
}

} // namespace attn::app
