#include "kinds/dna/DnaWorkspace.h"

#include "kinds/Kind.h"
#include "kinds/dna/DnaKind.h"
#include "kinds/dna/RecordControls.h"
#include "kinds/dna/SequenceInput.h"
#include "track/SequenceTrackView.h"

#include <QFileInfo>

#include <tuple>

namespace attn::kinds {

DnaWorkspace::DnaWorkspace(const Kind& kind, WorkspaceHost& host)
    : Workspace(kind, host), controls_(adopt(new RecordControls)), track_(adopt(new widgets::SequenceTrackView(&explorer_)))
{
    connect(controls_, &RecordControls::changed, this, [this] {
        emit message(controls_->windowMessage());
        if (canRun())
            run();
    });
    connect(&runJob_, &BackgroundJob::succeeded, this, [this] {
        const widgets::RunData& data = *pending_;
        explorer_.setRun(data);
        host_.showStatus(tr("Ran %1 (%2 tokens)").arg(data.name).arg(data.length()));
        if (data.unknownCount > 0)
            emit message(tr("%1: %2 %3 not in the model's vocabulary (IUPAC codes such as N) and ran as the unknown token.")
                             .arg(data.name)
                             .arg(data.unknownCount)
                             .arg(data.perBase() ? tr("k-mers are") : tr("characters are")));
        else
            emit message(controls_->windowMessage());
        emit ran();
    });
}

bool DnaWorkspace::open(const QString& path)
{
    const std::string file = path.toStdString();
    openInBackground(tr("Cannot open data"), [this, path, file]() -> ApplyOpened {
        auto records = std::make_shared<std::vector<FastaRecord>>(readFasta(file)); // on the worker
        return [this, path, records] {
            records_ = std::move(*records);
            path_ = path;
            listRecords();
            return OpenedAs::Input;
        };
    });
    return true;
}

void DnaWorkspace::listRecords()
{
    QStringList names;
    std::vector<int> lengths;
    for (const FastaRecord& r : records_) {
        names << QString::fromStdString(r.description.empty() ? r.name : r.name + "  " + r.description);
        lengths.push_back(static_cast<int>(r.sequence.size()));
    }
    controls_->setRecords(names, lengths, maxBases());
    emit message(controls_->windowMessage());
}

int DnaWorkspace::maxBases() const
{
    const auto model = std::dynamic_pointer_cast<const SequenceModel>(host_.model());
    return model ? model->maxLetters() : 0;
}

void DnaWorkspace::run()
{
    const auto model = std::dynamic_pointer_cast<const SequenceModel>(host_.model());
    const int index = controls_->currentRecord();
    if (!model || index < 0 || index >= static_cast<int>(records_.size()))
        return;
    const FastaRecord& record = records_[static_cast<std::size_t>(index)];
    std::string sequence = record.sequence, cutName = record.name;
    if (static_cast<int>(sequence.size()) > maxBases()) // never cut silently: the window is chosen and named
        std::tie(sequence, cutName) = cutWindow(record, controls_->windowStart(), controls_->windowLength());
    auto pending = std::make_shared<widgets::RunData>();
    runJob_.start([model, sequence, cutName, pending, options = runOptions(), &kind = kind_](Progress& progress) mutable {
        options.progress = &progress;
        const auto run = DnaKind::runOn(model, model->encode(sequence), sequence, cutName, options);
        kind.finishRun(model, *run, options);
        *pending = std::move(run->data);
    });
    pending_ = pending;
}

std::optional<InputChoice> DnaWorkspace::inputChoice() const
{
    const int index = controls_->currentRecord();
    if (index < 0 || index >= static_cast<int>(records_.size()))
        return std::nullopt;
    InputChoice c;
    c.input = path_.toStdString();
    c.record = records_[static_cast<std::size_t>(index)].name;
    if (static_cast<int>(records_[static_cast<std::size_t>(index)].sequence.size()) > maxBases()) { // the window the run takes
        c.windowStart = controls_->windowStart();
        c.windowLength = controls_->windowLength();
    }
    return c;
}

void DnaWorkspace::modelChanged()
{
    if (hasData())
        listRecords(); // the window depends on how many bases the model takes
}

QJsonObject DnaWorkspace::saveState() const
{
    const int i = controls_->currentRecord();
    const RolloutOptions r = track_->rolloutOptions();
    return {{"record", i >= 0 && i < static_cast<int>(records_.size()) ? QString::fromStdString(records_[static_cast<std::size_t>(i)].name) : QString()},
            {"window_start", controls_->windowStart()},
            {"window_length", controls_->windowLength()},
            {"rollout", QJsonObject{{"fusion", QString::fromStdString(headFusionName(r.fusion))}, {"discard", r.discardRatio},
                                    {"start_layer", r.startLayer}}}};
}

void DnaWorkspace::applyState(const QJsonObject& state)
{
    const QString record = state.value("record").toString();
    for (std::size_t i = 0; i < records_.size(); ++i)
        if (QString::fromStdString(records_[i].name) == record) {
            const QSignalBlocker block(controls_); // the session runs once, when everything is restored
            controls_->setCurrentRecord(static_cast<int>(i));
        }
    controls_->setWindow(state.value("window_start").toInt(), state.value("window_length").toInt());
    const QJsonObject r = state.value("rollout").toObject();
    if (!r.isEmpty())
        track_->setRolloutOptions({parseHeadFusion(r.value("fusion").toString("mean").toStdString()),
                                   static_cast<float>(r.value("discard").toDouble()), r.value("start_layer").toInt()});
}

QString DnaWorkspace::dataSummaryHtml() const
{
    if (records_.empty())
        return {};
    QString html = "<p><b>" + QFileInfo(path_).fileName().toHtmlEscaped() + "</b>: "
        + tr("%n record(s)", "", static_cast<int>(records_.size())) + "</p><table>";
    for (const FastaRecord& r : records_)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(QString::fromStdString(r.name).toHtmlEscaped(), tr("%1 nt").arg(r.sequence.size()));
    return html + "</table>";
}

QWidget* DnaWorkspace::controls()
{
    return controls_;
}

std::vector<TitledWidget> DnaWorkspace::docks()
{
    return {{tr("Sequence track"), "dockTrack", track_}};
}

std::vector<ExportEntry> DnaWorkspace::exportEntries() const
{
    return {{tr("&Sequence track…"), "sequence-track", track_}};
}

} // namespace attn::kinds
