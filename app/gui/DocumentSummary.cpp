#include "gui/DocumentSummary.h"

#include "kinds/KindRegistry.h"
#include "model/ModelFamily.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

namespace attn::app {
namespace {

QString row(const QString& key, const QString& value)
{
    // a key is never broken inside a word ("dim_feedforward"); the value wraps
    return QStringLiteral("<tr><td nowrap><b>%1</b></td><td>%2</td></tr>").arg(key.toHtmlEscaped(), value.toHtmlEscaped());
}

QString text(const QJsonValue& v)
{
    if (v.isArray()) {
        QStringList parts;
        for (const QJsonValue& item : v.toArray())
            parts << text(item);
        return parts.join(v.toArray().first().isObject() ? "; " : ", ");
    }
    if (v.isObject()) {
        QStringList parts;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            parts << it.key() + " " + text(it.value());
        return parts.join(" ");
    }
    if (v.isBool())
        return v.toBool() ? "yes" : "no";
    if (v.isDouble())
        return QLocale().toString(v.toDouble(), 'g', 12);
    return v.toString();
}

} // namespace

QString modelSummaryHtml(const Model& model, const QString& path)
{
    const QJsonObject info = QJsonDocument::fromJson(QByteArray::fromStdString(describeModel(model, path.toStdString()))).object();
    QString html = "<table>" + row(QObject::tr("Folder"), QFileInfo(path).fileName());
    const ModelConfig& c = model.encoderConfig();
    html += row(QObject::tr("Layers x heads"), QStringLiteral("%1 x %2").arg(c.nLayers).arg(c.nHeads));
    for (const QString& key : info.keys()) // every key the family describes, as `attnscope-cli info` prints it
        if (key != "path")
            html += row(key, text(info.value(key)));
    return html + "</table>";
}

QString documentSummaryHtml(const Model* open, const QString& model, const QString& data)
{
    QStringList runs;
    for (const kinds::Kind* kind : kinds::kindRegistry())
        if (open && kind->runs(*open))
            runs << QString::fromStdString(kind->opens());
    const QString none = QObject::tr("none");
    QString html = "<h2>" + QObject::tr("Loaded") + "</h2><ul>";
    html += "<li>" + QObject::tr("Model: %1").arg(model.isEmpty() ? none : model.toHtmlEscaped()) + "</li>";
    html += "<li>" + QObject::tr("Data: %1").arg(data.isEmpty() ? none : data.toHtmlEscaped()) + "</li></ul>";
    if (!model.isEmpty() && data.isEmpty())
        html += "<p>" + QObject::tr("This model runs %1: open such data (File > Open…, or drop it on the window).").arg(runs.join(", ").toHtmlEscaped())
            + "</p>";
    return html;
}

} // namespace attn::app
