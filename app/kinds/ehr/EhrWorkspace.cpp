#include "kinds/ehr/EhrWorkspace.h"

#include "ehr/EventReader.h"
#include "timeline/TimeGapView.h"
#include "timeline/TimelineView.h"
#include "util/Error.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>

namespace attn::kinds {

EhrWorkspace::EhrWorkspace(const Kind& kind, WorkspaceHost& host)
    : Workspace(kind, host), controls_(adopt(new QWidget)), timeline_(adopt(new widgets::TimelineView(&explorer_))),
      timeGap_(adopt(new widgets::TimeGapView(&explorer_)))
{
    timeGap_->setComputeInBackground(true); // O(heads x T^2) per layer: never on the GUI thread
    makeControls();
    connect(&runJob_, &BackgroundJob::succeeded, this, [this] {
        const std::unique_ptr<EhrKindRun> run = std::move(*pending_);
        showRun(*run);
    });
}

void EhrWorkspace::makeControls()
{
    auto* row = new QHBoxLayout(controls_);
    row->setContentsMargins(0, 0, 0, 0);
    subjectBox_ = new QComboBox;
    subjectBox_->setObjectName("subjectBox");
    subjectBox_->setMinimumContentsLength(14);
    alignBox_ = new QComboBox;
    alignBox_->setObjectName("alignBox");
    alignBox_->addItems({tr("Calendar dates"), tr("Day 0: first anticoagulant"), tr("Day 0: selected event")});
    alignBox_->setCurrentIndex(1);
    allHeads_ = new QCheckBox(tr("Arcs of all heads of the layer"));
    allHeads_->setObjectName("allHeads");
    compress_ = new QCheckBox(tr("Compress gaps over a year"));
    compress_->setObjectName("compressGaps");
    compress_->setChecked(true);
    row->addWidget(new QLabel(tr("Subject:")));
    row->addWidget(subjectBox_);
    row->addSpacing(12);
    row->addWidget(alignBox_);
    row->addWidget(allHeads_);
    row->addWidget(compress_);
    row->addStretch(1);
    connect(subjectBox_, &QComboBox::currentIndexChanged, this, [this] {
        if (canRun())
            run();
    });
    connect(alignBox_, &QComboBox::currentIndexChanged, this, &EhrWorkspace::applyAlignment);
    connect(allHeads_, &QCheckBox::toggled, timeline_, &widgets::TimelineView::setAllHeads);
    connect(compress_, &QCheckBox::toggled, timeline_, &widgets::TimelineView::setCompressGaps);
}

void EhrWorkspace::applyAlignment()
{
    const int i = alignBox_->currentIndex();
    if (i == 1 && timeline_->alignOnFirstAnticoagulant())
        return;
    timeline_->alignOn(i == 2 ? timeline_->selectedEvent() : std::nullopt);
}

bool EhrWorkspace::open(const QString& path)
{
    const std::string file = path.toStdString();
    openInBackground(tr("Cannot open the record"), [this, path, file]() -> ApplyOpened {
        auto opened = std::make_shared<Opened>();
        if (std::shared_ptr<const MedsDataset> reader = subjectReader(file)) { // Parquet, or a large table
            opened->meds = std::move(reader);
            opened->subjects = opened->meds->subjects();
        } else {
            auto load = std::make_shared<EventLoad>(readEvents(file));
            for (const std::string& s : load->table.subjects())
                opened->subjects.push_back({s, ""});
            opened->load = std::move(load);
        }
        check<FormatError>(!opened->subjects.empty(), file + ": no events\n" + (opened->load ? opened->load->report.summary() : std::string()));
        return [this, path, opened] {
            showOpened(path, *opened);
            return OpenedAs::Input;
        };
    });
    return true;
}

void EhrWorkspace::showOpened(const QString& path, const Opened& opened)
{
    load_ = opened.load;
    meds_ = opened.meds;
    path_ = path;
    subjects_.clear();
    const QSignalBlocker block(subjectBox_);
    subjectBox_->clear();
    for (const MedsSubject& s : opened.subjects) {
        subjects_.push_back(s.id);
        subjectBox_->addItem(QString::fromStdString(s.split.empty() ? s.id : s.id + "  (" + s.split + ")"), QString::fromStdString(s.id));
    }
    const int warnings = load_ ? load_->report.warningCount() : 0;
    emit message(warnings > 0 ? tr("%1: %2 warnings while reading (see the Data dock).").arg(QFileInfo(path_).fileName()).arg(warnings) : QString());
}

void EhrWorkspace::setSubject(const std::string& subject)
{
    const int i = subjectBox_->findData(QString::fromStdString(subject));
    if (i >= 0)
        subjectBox_->setCurrentIndex(i);
}

std::string EhrWorkspace::subject() const
{
    return subjectBox_->currentData().toString().toStdString();
}

void EhrWorkspace::run()
{
    const auto model = std::dynamic_pointer_cast<const EhrModel>(host_.model());
    if (!model || !hasData() || subjectBox_->currentIndex() < 0)
        return;
    const std::string subject = this->subject();
    const std::string where = path_.toStdString();
    auto pending = std::make_shared<std::unique_ptr<EhrKindRun>>();
    runJob_.start([model, load = load_, meds = meds_, subject, where, pending, options = runOptions(), &kind = kind_](Progress& progress) mutable {
        auto events = std::make_shared<const std::vector<Event>>(meds ? meds->load(subject).table.events : load->table.ofSubject(subject, where).events);
        options.progress = &progress;
        *pending = EhrKind::runOn(model, subject, std::move(events), options);
        kind.finishRun(model, **pending, options);
    });
    pending_ = pending;
}

std::optional<InputChoice> EhrWorkspace::inputChoice() const
{
    if (!hasData() || subjectBox_->currentIndex() < 0)
        return std::nullopt;
    InputChoice c;
    c.input = path_.toStdString();
    c.subject = subject();
    return c;
}

void EhrWorkspace::showRun(const EhrKindRun& run)
{
    timeline_->setRecord(run.events, run.tokens.source);
    explorer_.setRun(run.data);
    if (run.tokens.size() > 1)
        explorer_.selectToken(run.tokens.size() - 1); // the most recent event: what it looks back at
    applyAlignment();
    host_.showStatus(tr("Ran %1: %2 of its %3 events as tokens (static rows and events left out are not tokens)")
                         .arg(run.data.name).arg(run.tokens.size() - 1).arg(run.events->size()));
    QStringList notes;
    for (const std::string& w : run.warnings)
        notes << QString::fromStdString(w);
    if (run.tokens.unknown > 0)
        notes << tr("%1 events have codes the model does not know and ran as [UNK].").arg(run.tokens.unknown);
    emit message(notes.join(" "));
    emit ran();
}

std::vector<std::pair<QString, BackgroundJob*>> EhrWorkspace::backgroundJobs()
{
    return {{tr("Heads over time"), &timeGap_->job()}};
}

QString EhrWorkspace::dataSummaryHtml() const
{
    if (!hasData())
        return {};
    QString html = "<p><b>" + QFileInfo(path_).fileName().toHtmlEscaped() + "</b>: " + tr("%n subject(s)", "", static_cast<int>(subjects_.size()));
    if (meds_)
        return html + tr(", read through DuckDB one subject at a time") + "</p>";
    html += ", " + tr("%n event(s)", "", static_cast<int>(load_->table.events.size())) + "</p>";
    const std::string report = load_->report.summary();
    if (!report.empty())
        html += "<pre>" + QString::fromStdString(report).toHtmlEscaped() + "</pre>";
    return html;
}

std::vector<TitledWidget> EhrWorkspace::tabs()
{
    return {{tr("Timeline"), "timelineTab", timeline_}, {tr("Heads over time"), "timeGapTab", timeGap_}};
}

std::vector<ExportEntry> EhrWorkspace::exportEntries() const
{
    return {{tr("&Timeline…"), "timeline", timeline_}, {tr("&Heads over time…"), "time-gap", timeGap_}};
}

QJsonObject EhrWorkspace::saveState() const
{
    return {{"subject", QString::fromStdString(subject())}, {"align", alignBox_->currentIndex()}, {"all_heads", allHeads_->isChecked()},
            {"compress_gaps", compress_->isChecked()}};
}

void EhrWorkspace::applyState(const QJsonObject& state)
{
    {
        const QSignalBlocker block(subjectBox_); // the session runs once, when everything is restored
        setSubject(state.value("subject").toString().toStdString());
    }
    alignBox_->setCurrentIndex(std::clamp(state.value("align").toInt(1), 0, 2));
    allHeads_->setChecked(state.value("all_heads").toBool());
    compress_->setChecked(state.value("compress_gaps").toBool(true));
}

} // namespace attn::kinds
