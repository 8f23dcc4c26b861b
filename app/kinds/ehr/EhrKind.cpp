#include "ehr/CodePairs.h"
#include "interpret/ModelPredictors.h"
#include "kinds/ehr/EhrKind.h"

#include "ehr/EventReader.h"
#include "ehr/MedsDataset.h"
#include "export/FigureExport.h"
#include "kinds/Resources.h"
#include "kinds/ehr/EhrWorkspace.h"
#include "timeline/TimeGapView.h"
#include "timeline/TimelineView.h"
#include "util/Error.h"

#include <chrono>

#include <limits>
#include <set>

namespace attn::kinds {

bool EhrKind::runs(const Model& model) const
{
    return dynamic_cast<const EhrModel*>(&model) != nullptr;
}

bool EhrKind::accepts(const std::filesystem::path& path) const
{
    return looksLikeEvents(path);
}

std::vector<Demo> EhrKind::demos() const
{
    return {{"EHR: warfarin and a later high INR (planted rule, synthetic patients)", app::resourcePath("models/ehr_alert").toStdString(),
            app::resourcePath("data/ehr_demo").toStdString(), ""}};
}

std::unique_ptr<Workspace> EhrKind::createWorkspace(WorkspaceHost& host) const
{
    return std::make_unique<EhrWorkspace>(*this, host);
}

EventLoad readPatientRecord(const InputChoice& choice)
{
    EventReadOptions options;
    options.mapping = ColumnMapping::fromOptions(choice.mappingFile, choice.columns);
    options.subject = choice.subject;
    const auto reader = options.subject.empty() ? subjectReader(choice.input, options.mapping) : nullptr;
    if (reader) { // the first subject, without reading the others
        const std::vector<MedsSubject> subjects = reader->subjects();
        check<FormatError>(!subjects.empty(), choice.input + ": no events");
        options.subject = subjects.front().id;
    }
    EventLoad load = readEvents(choice.input, options);
    if (choice.subject.empty()) {
        const std::vector<std::string> subjects = load.table.subjects();
        check<FormatError>(!subjects.empty(), choice.input + ": no events");
        if (subjects.size() > 1)
            load.table = load.table.ofSubject(subjects.front(), choice.input);
    }
    return load;
}

std::unique_ptr<EhrKindRun> EhrKind::runOn(std::shared_ptr<const EhrModel> model, const std::string& subject,
                                             std::shared_ptr<const std::vector<Event>> events, const RunOptions& options)
{
    auto out = std::make_unique<EhrKindRun>();
    const auto start = std::chrono::steady_clock::now();
    out->tokens = tokenizeEvents(model->config(), *events);
    auto result = std::make_shared<const RunResult>(model->run(out->tokens, options));
    RunDescription& d = out->description;
    d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    d.recordName = subject;
    d.unknownTokens = out->tokens.unknown;
    d.inputDetails["events"] = static_cast<std::int64_t>(events->size());
    d.inputDetails["timed_events"] = static_cast<std::int64_t>(out->tokens.timedEvents);
    d.inputDetails["events_left_out"] = static_cast<std::int64_t>(out->tokens.dropped);
    d.inputDetails["first_event"] = formatUtc(out->tokens.origin);
    const std::string dropped = droppedEventsMessage(out->tokens, model->config());
    if (!dropped.empty())
        out->warnings.push_back("subject " + subject + ": " + dropped);
    out->data = widgets::makeRunData(std::move(result), ehrTokenAxis(out->tokens, *events), model->config().encoder.labels,
                                     QString::fromStdString("subject " + subject));
    out->data.unknownCount = out->tokens.unknown;
    out->model = std::move(model);
    out->subject = subject;
    out->events = std::move(events);
    return out;
}

std::unique_ptr<Predictor> EhrKind::predictor(const std::shared_ptr<const Model>&, const KindRun& run) const
{
    const auto& ehr = dynamic_cast<const EhrKindRun&>(run);
    return ehrPredictor(ehr.model, std::make_shared<const EhrTokens>(ehr.tokens));
}

TokenAnnotations EhrKind::annotations(const KindRun& kindRun, const AnnotationRequest& request) const
{
    const auto& run = dynamic_cast<const EhrKindRun&>(kindRun);
    check(!request.file.empty(), "EHR enrichment needs --annotations FILE.tsv: code pairs, e.g. RXNORM/855332<tab>LOINC/6301-6");
    std::set<std::pair<std::string, std::string>> linked;
    for (const auto& [a, b] : readCodePairs(request.file)) {
        linked.emplace(a, b);
        linked.emplace(b, a); // either order
    }
    const auto n = static_cast<std::size_t>(run.tokens.size());
    std::vector<const Event*> event(n, nullptr); // [CLS] has none
    TokenAnnotations a;
    a.eligible.assign(n, 0);
    a.pairCoordinate.assign(n, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t t = 0; t < n; ++t)
        if (run.tokens.source[t] != EhrTokens::kNoEvent) {
            event[t] = &(*run.events)[run.tokens.source[t]];
            a.eligible[t] = 1;
            if (event[t]->time)
                a.pairCoordinate[t] = static_cast<double>(event[t]->time->seconds) / 86400.0; // days
        }
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n && event[i]; ++j)
            if (event[j] && linked.count({event[i]->code, event[j]->code}))
                a.pairs.emplace_back(static_cast<Index>(i), static_cast<Index>(j));
    return a;
}

std::unique_ptr<KindRun> EhrKind::run(const std::shared_ptr<const Model>& model, const InputChoice& choice, const RunOptions& options) const
{
    auto ehr = std::dynamic_pointer_cast<const EhrModel>(model);
    EventLoad load = readPatientRecord(choice);
    check<FormatError>(!load.table.events.empty(), choice.input + ": no events");
    const std::string subject = load.table.events.front().subject;
    auto events = std::make_shared<const std::vector<Event>>(std::move(load.table.events));
    auto out = runOn(std::move(ehr), subject, std::move(events), options);
    out->description.inputPath = choice.input;
    if (load.report.warningCount() > 0)
        out->warnings.insert(out->warnings.begin(), choice.input + ": " + std::to_string(load.report.warningCount())
                                                        + " warnings while reading (attnscope-cli events lists them)");
    return out;
}

void EhrKind::exportFigure(const std::string& view, const KindRun& run, widgets::ExplorerState& state, const ExportArgs& args) const
{
    if (view != "timeline" && view != "time-gap")
        return Kind::exportFigure(view, run, state, args);
    const auto& ehr = dynamic_cast<const EhrKindRun&>(run);
    if (view == "time-gap") {
        widgets::TimeGapView gaps(&state);
        gaps.resize(gaps.figureSize());
        return widgets::exportAny(gaps, QString::fromStdString(args.out), args.dpi);
    }
    widgets::TimelineView timeline(&state);
    timeline.setRecord(ehr.events, ehr.tokens.source);
    if (!args.align.empty())
        check<FormatError>(timeline.alignOnCode(args.align), args.choice.input + ": --align " + args.align + ": no event of this subject has that code");
    else
        timeline.alignOnFirstAnticoagulant();
    timeline.resize(timeline.figureSize());
    widgets::exportAny(timeline, QString::fromStdString(args.out), args.dpi);
}

const Kind& ehrKind()
{
    static const EhrKind kind;
    return kind;
}

} // namespace attn::kinds
