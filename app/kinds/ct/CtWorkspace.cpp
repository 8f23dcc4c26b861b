#include "kinds/ct/CtWorkspace.h"

#include "interpret/CtOverlay.h"
#include "kinds/ct/ReferencePanel.h"
#include "kinds/ct/RegionControls.h"
#include "kinds/ct/VolumePage.h"
#include "render3d/VolumeRenderView.h"

#include <QFileInfo>
#include <QJsonArray>

namespace attn::kinds {

/// What the overlay job produces: the overlay, and its agreement with the reference it saw.
struct CtWorkspace::PendingOverlay {
    std::shared_ptr<const Volume> overlay; ///< As drawn: inside the body.
    std::shared_ptr<const Volume> numbers; ///< Every voxel: the agreement's and the NIfTI export's.
    std::shared_ptr<const StudyReference> reference;
    std::optional<MaskAgreement> agreement;
};

CtWorkspace::CtWorkspace(const Kind& kind, WorkspaceHost& host)
    : Workspace(kind, host), page_(adopt(new VolumePage(&volume_))), region_(adopt(new RegionControls)), slices_(&volume_)
{
    connect(&volume_, &widgets::VolumeState::cursorChanged, this, &CtWorkspace::updateRegion);
    connect(&dicom_, &DicomOpener::loaded, this, &CtWorkspace::onLoaded);
    connect(&dicom_, &DicomOpener::failed, this, [this](const QString& message) { failOpen(tr("Cannot open DICOM folder"), message); });
    connect(&runJob_, &BackgroundJob::succeeded, this, &CtWorkspace::onRunFinished);
    connect(page_, &VolumePage::overlaySourceChanged, this, &CtWorkspace::onSourceChosen);
    connect(&explorer_, &widgets::ExplorerState::sourceChanged, this, &CtWorkspace::updateOverlay);
    connect(&explorer_, &widgets::ExplorerState::headChanged, this, [this](int layer, int head) {
        if (!run_ || explorer_.run().result != run_->data.result)
            return; // the run belongs to the previous study
        page_->showSource(layer, head);
        updateOverlay();
    });
    const auto ask = dicom_.seriesChooser(); // a session being restored names its series
    dicom_.setSeriesChooser([this, ask](const std::vector<DicomSeriesInfo>& series) {
        const std::string uid = pendingState_.value("series").toString().toStdString();
        for (std::size_t i = 0; i < series.size(); ++i)
            if (!uid.empty() && series[i].uid == uid)
                return static_cast<int>(i);
        return ask(series);
    });
    connect(&overlayJob_, &BackgroundJob::succeeded, this, &CtWorkspace::onOverlayReady);
    ReferencePanel* panel = page_->referencePanel();
    connect(panel, &ReferencePanel::openRequested, this, [this](const QString& path) { openReference(path); });
    connect(panel, &ReferencePanel::segmentChosen, this, [this](int number) {
        if (reference_)
            openReference(QString::fromStdString(reference_->info.path), number);
    });
    connect(panel, &ReferencePanel::levelChosen, this, [this](double level) {
        if (!reference_ || reference_->info.isMask)
            return;
        auto changed = std::make_shared<StudyReference>(*reference_);
        changed->level = level;
        showReference(std::move(changed));
    });
    connect(panel, &ReferencePanel::clearRequested, this, [this] { showReference(nullptr); });
    connect(&referenceJob_, &BackgroundJob::succeeded, this, [this] {
        if (pendingReferenceStudy_ != volume_.volume())
            return; // placed on a study that is no longer shown
        page_->addWarnings(pendingReference_->warnings); // once per file read, not per level chosen
        showReference(pendingReference_);
    });
    connect(&referenceJob_, &BackgroundJob::failed, this,
            [this](const QString& message) { host_.showError(tr("Cannot open reference"), message); });
}

void CtWorkspace::openReference(const QString& path, int segment, std::optional<double> level)
{
    const auto study = volume_.volume();
    if (!study)
        return host_.showError(tr("Cannot open reference"), tr("%1: open the study it was drawn on first").arg(path));
    auto pending = std::make_shared<StudyReference>();
    const StudyIdentity identity = identity_;
    const std::string file = path.toStdString();
    referenceJob_.start([pending, file, segment, level, study, identity](Progress& progress) {
        *pending = loadStudyReference(file, segment, *study, identity, level, &progress);
    });
    pendingReference_ = pending;
    pendingReferenceStudy_ = study;
}

void CtWorkspace::showReference(std::shared_ptr<const StudyReference> reference)
{
    reference_ = std::move(reference);
    ReferencePanel* panel = page_->referencePanel();
    if (!reference_) {
        volume_.setReference(nullptr, 0.5, {});
        panel->clearReference();
        return;
    }
    volume_.setReference(reference_->onStudy, reference_->level, QString::fromStdString(reference_->regionLabel()));
    panel->showReference(reference_->info, reference_->level, reference_->maximum);
    host_.showStatus(tr("Reference: %1").arg(QString::fromStdString(reference_->regionLabel())));
    if (run_ && run_->study == volume_.volume())
        updateOverlay(); // the agreement is computed with the overlay
    else
        panel->showAgreement(tr("Run the model to compare its attention with this reference."));
}

void CtWorkspace::onOverlayReady()
{
    if (!run_ || run_->study != volume_.volume())
        return; // computed for a study that is no longer shown
    volume_.setOverlay(pendingOverlay_->overlay, pendingLabel_, pendingOverlay_->numbers, pendingRunName_);
    if (pendingOverlay_->agreement && pendingOverlay_->reference == reference_)
        page_->referencePanel()->showAgreement(agreementHtml(*pendingOverlay_->agreement, pendingSourceLabel_, *reference_));
}

bool CtWorkspace::open(const QString& path)
{
    const QFileInfo info(path);
    const QString folder = info.isDir() ? path : info.absolutePath(); // a dropped file opens its folder
    host_.showStatus(tr("Reading %1…").arg(folder));
    pendingFolder_ = folder;
    dicom_.open(folder);
    return true;
}

void CtWorkspace::onLoaded(const LoadedStudy& study)
{
    volume_.setVolume(study.volume, study.name);
    volume_.setWindow(400, 40);
    updateRegion();
    page_->setDetails(study.detailsHtml, study.warnings);
    path_ = pendingFolder_;
    studyName_ = study.name;
    seriesUid_ = study.seriesUid;
    identity_ = {study.seriesUid.toStdString(), study.frameOfReferenceUid.toStdString()};
    referenceJob_.cancel(); // a reference being placed belongs to the previous study
    showReference(nullptr); // it was drawn on the previous study
    detailsHtml_ = study.detailsHtml;
    host_.showStatus(tr("Loaded %1").arg(study.name));
    finishOpen();
}

namespace {

/// The run's preprocessing, for the load report.
std::vector<std::string> preprocessingReport(const CtKindRun& run)
{
    std::vector<std::string> lines;
    for (const std::string& step : run.steps)
        lines.push_back("before the network: " + step);
    for (const std::string& line : run.model->preprocessing())
        if (line.rfind("not applied: ", 0) == 0)
            lines.push_back(line);
    return lines;
}

} // namespace

QWidget* CtWorkspace::controls()
{
    return region_;
}

void CtWorkspace::modelChanged()
{
    region_->setModel(dynamic_cast<const VolumeModel*>(host_.model().get()));
    updateRegion();
}

void CtWorkspace::updateRegion()
{
    const auto model = std::dynamic_pointer_cast<const VolumeModel>(host_.model());
    const auto study = volume_.volume();
    const bool current = run_ && run_->study == study && model && run_->model == model;
    if (!model || !study || (!model->seesRegion() && !current)) {
        volume_.setRegion(std::nullopt, {});
        return;
    }
    const auto& c = volume_.cursor();
    const QString voxel = QString("(%1, %2, %3)").arg(c[0]).arg(c[1]).arg(c[2]);
    if (current) { // the run's box stays until the next run
        const auto box = seenBox(*run_);
        const QString size = box ? sizeText(box->size) : QString();
        volume_.setRegion(box, tr("the region the run saw, %1 voxels").arg(size));
        region_->setPlace(tr("The run saw the yellow box (%1 voxels). To look elsewhere, click there in the slices (the cursor is at "
                             "%2) and Run again.").arg(size, voxel));
        return;
    }
    const auto box = model->regionAround(study->geometry, c);
    const QString size = box ? sizeText(box->size) : QString();
    volume_.setRegion(box, tr("the region a run would see around the cursor, %1 voxels (before the foreground crop)").arg(size));
    region_->setPlace(tr("Run looks at the yellow box (%1 voxels) around the cursor %2: click in the slices to move it.").arg(size, voxel));
}

namespace {

/// Dice between label `label` of `labels` and the reference's region (values >= its level), both on the study's grid.
double labelDice(const Volume& labels, int label, const StudyReference& reference)
{
    std::size_t both = 0, ours = 0, theirs = 0;
    const std::vector<float>& region = reference.onStudy->values;
    for (std::size_t v = 0; v < labels.values.size() && v < region.size(); ++v) {
        const bool a = static_cast<int>(labels.values[v]) == label, b = region[v] >= reference.level;
        both += a && b, ours += a, theirs += b;
    }
    return ours + theirs == 0 ? 1.0 : 2.0 * static_cast<double>(both) / static_cast<double>(ours + theirs);
}

/// With interventions and a reference open: for a segmenting model, Dice against the reference's
/// region of the label that matches it best in the unchanged run (one more run, without the
/// interventions), unchanged and changed, added to the prediction line's numbers.
void addReferenceDice(const std::shared_ptr<const VolumeModel>& model, CtKindRun& run, const std::string& name, RunOptions options,
                      const StudyReference& reference)
{
    if (!run.data.comparison || !run.labels || run.labelNames.size() < 2 || !reference.onStudy)
        return;
    options.interventions = {};
    const std::unique_ptr<CtKindRun> plain = CtKind::runOn(model, run.study, name, run.request, options);
    if (!plain->labels)
        return;
    int best = 1;
    for (int label = 2; label < static_cast<int>(run.labelNames.size()); ++label)
        if (labelDice(*plain->labels, label, reference) > labelDice(*plain->labels, best, reference))
            best = label;
    auto comparison = std::make_shared<PredictionComparison>(*run.data.comparison);
    const std::string what = "Dice of " + run.labelNames[static_cast<std::size_t>(best)] + " with the reference ";
    comparison->details[what + "original"] = labelDice(*plain->labels, best, reference);
    comparison->details[what + "intervened"] = labelDice(*run.labels, best, reference);
    run.data.comparison = std::move(comparison);
}

} // namespace

void CtWorkspace::run()
{
    const auto model = std::dynamic_pointer_cast<const VolumeModel>(host_.model());
    const auto study = volume_.volume();
    if (!model || !study)
        return;
    auto pending = std::make_shared<std::unique_ptr<CtKindRun>>();
    const std::string name = studyName_.toStdString();
    RegionRequest request; // a region model sees the box around the cursor, where the user last clicked
    if (model->seesRegion())
        request.centre = volume_.cursor();
    request.slidingWindow = region_->wholeStudy();
    runJob_.start([model, study, name, request, pending, options = runOptions(), &kind = kind_, reference = reference_](Progress& progress) mutable {
        options.progress = &progress;
        *pending = CtKind::runOn(model, study, name, request, options);
        kind.finishRun(model, **pending, options);
        if (reference && !options.interventions.empty())
            addReferenceDice(model, **pending, name, options, *reference);
    });
    pending_ = pending;
}

std::optional<InputChoice> CtWorkspace::inputChoice() const
{
    const auto model = std::dynamic_pointer_cast<const VolumeModel>(host_.model());
    if (!hasData())
        return std::nullopt;
    InputChoice c;
    c.input = path_.toStdString();
    c.series = seriesUid_.toStdString();
    if (model && model->seesRegion())
        c.centre = volume_.cursor();
    c.slidingWindow = region_->wholeStudy();
    return c;
}

void CtWorkspace::onRunFinished()
{
    run_ = std::shared_ptr<CtKindRun>(std::move(*pending_));
    run_->description.inputPath = path_.toStdString();
    page_->setSources(run_->data.layers(), run_->data.heads(), run_->model->patchLayout().firstImageToken > 0);
    page_->setRunReport(preprocessingReport(*run_));
    explorer_.setRun(run_->data);
    const Vector p = probabilities(run_->data.result->logits);
    Index best = 0;
    if (p.size() > 0) {
        p.maxCoeff(&best);
        host_.showStatus(tr("CT model ran: %1 (p = %2)").arg(run_->data.labels.value(static_cast<int>(best))).arg(p(best), 0, 'f', 3));
    } else {
        host_.showStatus(tr("CT model ran on the region centred at voxel (%1, %2, %3)")
                             .arg(run_->request.centre.value_or(std::array<int, 3>{})[0])
                             .arg(run_->request.centre.value_or(std::array<int, 3>{})[1])
                             .arg(run_->request.centre.value_or(std::array<int, 3>{})[2]));
    }
    QStringList names;
    for (const std::string& n : run_->labelNames)
        names << QString::fromStdString(n);
    volume_.setLabels(run_->labels, names);
    updateRegion();
    updateOverlay();
    emit ran();
}

void CtWorkspace::onSourceChosen()
{
    const OverlaySource source = page_->overlaySource();
    if (source.rollout || (explorer_.layer() == source.layer && explorer_.head() == source.head))
        updateOverlay();
    else
        explorer_.select(source.layer, source.head); // the overlay follows through headChanged
}

void CtWorkspace::updateOverlay()
{
    if (!run_ || run_->study != volume_.volume())
        return; // the run belongs to another study
    OverlaySource source = page_->overlaySource();
    if (const auto maps = explorer_.sharedSourceMaps()) { // the map's source: a decomposition in place of attention
        source.decomposition = std::shared_ptr<const AttentionStore>(maps, &maps->store);
        source.decompositionName = attributionMethodName(maps->method);
        source.decompositionRollsOut = rollsOut(maps->method);
    }
    auto pending = std::make_shared<PendingOverlay>();
    pending->reference = reference_;
    const std::shared_ptr<const CtKindRun> run = run_;
    overlayJob_.start([run, source, pending](Progress& progress) {
        pending->numbers = std::make_shared<const Volume>(
            ctOverlay(*run->model, *run->data.result, source, run->inputGeometry, run->study->geometry, &progress));
        if (const auto& r = pending->reference) // measured on every voxel; drawn inside the body
            pending->agreement = compareWithRegion(*pending->numbers, *r->onStudy, static_cast<float>(r->level));
        pending->overlay = drawnOverlay(*run, *pending->numbers);
    });
    pendingOverlay_ = pending;
    const PatchLayout layout = run_->model->patchLayout();
    pendingLabel_ = QString::fromStdString(drawnOverlayLabel(source, layout));
    pendingSourceLabel_ = QString::fromStdString(describe(source, layout));
    pendingRunName_ = run_->data.name; // "[intervened: ...]" with edits
}

QJsonObject CtWorkspace::saveState() const
{
    const auto& c = volume_.cursor();
    const OverlaySource source = page_->overlaySource();
    return {{"series", seriesUid_},
            {"window", QJsonArray{volume_.windowWidth(), volume_.windowLevel()}},
            {"cursor", QJsonArray{c[0], c[1], c[2]}},
            {"display", page_->saveDisplay()},
            {"overlay", source.rollout ? QJsonValue("rollout") : QJsonValue(QJsonArray{source.layer, source.head})},
            {"reference", reference_ ? QJsonValue(QJsonObject{{"path", QString::fromStdString(reference_->info.path)},
                                                              {"segment", reference_->info.segment},
                                                              {"level", reference_->level}})
                                     : QJsonValue()}};
}

void CtWorkspace::applyState(const QJsonObject& state)
{
    const QJsonArray window = state.value("window").toArray(), cursor = state.value("cursor").toArray();
    if (window.size() == 2)
        volume_.setWindow(window[0].toDouble(), window[1].toDouble());
    if (cursor.size() == 3)
        volume_.setCursor({cursor[0].toInt(), cursor[1].toInt(), cursor[2].toInt()});
    page_->restoreDisplay(state.value("display").toObject());
    const QJsonObject reference = state.value("reference").toObject();
    if (!reference.isEmpty())
        openReference(reference.value("path").toString(), reference.value("segment").toInt(),
                      reference.contains("level") ? std::optional<double>(reference.value("level").toDouble()) : std::nullopt);
}

void CtWorkspace::restoreAfterRun(const QJsonObject& state)
{
    const QJsonArray head = state.value("overlay").toArray();
    page_->showSource(head.size() == 2 ? head[0].toInt() : -1, head.size() == 2 ? head[1].toInt() : -1);
    updateOverlay();
}

QString CtWorkspace::dataSummaryHtml() const
{
    return hasData() ? "<p>" + detailsHtml_ + "</p><p>" + tr("Folder: %1").arg(path_.toHtmlEscaped()) + "</p>" : QString();
}

std::vector<std::pair<QString, BackgroundJob*>> CtWorkspace::backgroundJobs()
{
    return {{tr("Opening the study"), &dicom_.job()}, {tr("Overlay"), &overlayJob_}, {tr("Reference"), &referenceJob_}};
}

std::vector<TitledWidget> CtWorkspace::tabs()
{
    return {{tr("Study"), "volumePage", page_}};
}

std::vector<ExportEntry> CtWorkspace::exportEntries() const
{
    return {{tr("Three &planes…"), "slices", &slices_},
            {tr("&Axial slice…"), "axial", page_->view(Plane::Axial)},
            {tr("&Coronal slice…"), "coronal", page_->view(Plane::Coronal)},
            {tr("Sa&gittal slice…"), "sagittal", page_->view(Plane::Sagittal)},
            {tr("&3D view…"), "volume-3d", page_->renderView()}};
}

} // namespace attn::kinds
