#include "interpret/ModelPredictors.h"
#include "kinds/ct/CtKind.h"

#include "dicom/DicomFile.h"
#include "dicom/DicomSeries.h"
#include "io/BinaryFile.h"
#include "export/FigureExport.h"
#include "kinds/Resources.h"
#include "kinds/ct/CtWorkspace.h"
#include "interpret/BodyMask.h"
#include "interpret/CtOverlay.h"
#include "io/Nifti.h"
#include "render3d/VolumeRenderView.h"
#include "slices/SlicesFigure.h"
#include "util/Error.h"
#include "volume/Resample.h"

#include <QImage>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

namespace attn::kinds {
namespace {

std::string joinLines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const std::string& l : lines)
        out += (out.empty() ? "" : "; ") + l;
    return out;
}

std::string joinNames(const std::vector<std::string>& names)
{
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + std::to_string(i) + " " + names[i];
    return out;
}

OverlaySource parseOverlay(const ExportArgs& args, int layers, int heads)
{
    OverlaySource s;
    if (args.overlay == "rollout")
        return s;
    const auto comma = args.overlay.find(',');
    int layer = -1, head = -1;
    try {
        layer = std::stoi(args.overlay.substr(0, comma));
        head = comma == std::string::npos ? -1 : std::stoi(args.overlay.substr(comma + 1));
    } catch (const std::exception&) {
    }
    check<FormatError>(layer >= 0 && layer < layers && head >= 0 && head < heads,
                       args.model + ": --overlay " + args.overlay + " is not 'rollout' or a LAYER,HEAD of the model ("
                           + std::to_string(layers) + " layers of " + std::to_string(heads) + " heads)");
    s.rollout = false;
    s.layer = layer;
    s.head = head;
    return s;
}

/// "DICM" after the preamble, or (files written without one) a first element in group 0x0008 or
/// 0x0002, little endian.
bool looksLikeDicomFile(const std::filesystem::path& path)
{
    const std::string head = readFileHead(path, 132);
    if (hasDicomPreamble(head))
        return true;
    return head.size() >= 8 && (head[0] == '\x08' || head[0] == '\x02') && head[1] == '\0' && head[3] == '\0';
}

/// A DICOMDIR, or a DICOM file among the first `limit` files below the folder.
bool folderHasDicom(const std::filesystem::path& folder, int limit = 200)
{
    std::error_code ec;
    int seen = 0;
    for (auto it = std::filesystem::recursive_directory_iterator(folder, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator() && seen < limit; it.increment(ec)) {
        if (!it->is_regular_file(ec))
            continue;
        ++seen;
        if (it->path().filename() == "DICOMDIR" || looksLikeDicomFile(it->path()))
            return true;
    }
    return false;
}

std::array<int, 3> peakVoxel(const Volume& overlay)
{
    const auto peak = std::max_element(overlay.values.begin(), overlay.values.end()) - overlay.values.begin();
    const auto& g = overlay.geometry;
    return {static_cast<int>(peak % g.size[0]), static_cast<int>(peak / g.size[0] % g.size[1]),
            static_cast<int>(peak / (g.size[0] * g.size[1]))};
}

void exportVolume(const CtKindRun& run, const std::shared_ptr<const Volume>& overlay, const widgets::OverlayStyle& style,
                  const ExportArgs& args)
{
    check<FormatError>(QString::fromStdString(args.out).endsWith(".png", Qt::CaseInsensitive), args.out + ": the 3D view is exported as PNG");
    check<ResourceError>(widgets::volumeRenderingAvailable(),
                         "--view volume renders with OpenGL and needs an X display: run it under xvfb-run");
    widgets::VolumeScene scene(600, 600);
    scene.setVolume(run.study);
    scene.setPreset(std::find_if(widgets::volumePresets().begin(), widgets::volumePresets().end(),
                                 [&](const auto& p) { return p.second == args.preset; })->first);
    scene.setOverlay(overlay, style);
    check<IoError>(widgets::renderImage(scene).save(QString::fromStdString(args.out), "PNG"), args.out + ": cannot write the PNG file");
}

/// The --reference on the run's study (null without one); its placement warnings on stderr.
std::shared_ptr<const StudyReference> referenceFor(const CtKindRun& run, const ExportArgs& args)
{
    if (args.reference.empty())
        return nullptr;
    auto r = std::make_shared<const StudyReference>(loadStudyReference(args.reference, args.segment, *run.study, run.identity,
                                                                       args.referenceLevel));
    for (const std::string& w : r->warnings)
        std::cerr << "attnscope-cli: warning: " << w << "\n";
    return r;
}

/// --view agreement: the rollout's and every head's overlay against the reference, one TSV row each.
void exportAgreement(const CtKindRun& run, const StudyReference* reference, const ExportArgs& args)
{
    check<FormatError>(reference != nullptr, args.model + ": --view agreement compares the attention with --reference FILE: give one");
    std::ofstream out(args.out);
    check<IoError>(static_cast<bool>(out), args.out + ": cannot write the agreement table");
    out.precision(9);
    out << "source\tlayer\thead\tregion\tmass_inside\tchance\tenrichment\tpointing_hit\tpeak_inside\tpeak_voxels\tregion_voxels\n";
    std::vector<OverlaySource> sources{OverlaySource{}};
    for (int layer = 0; layer < run.data.layers(); ++layer)
        for (int head = 0; head < run.data.heads(); ++head)
            sources.push_back(OverlaySource::ofHead(layer, head));
    for (const OverlaySource& source : sources) {
        const Volume overlay = ctOverlay(*run.model, *run.data.result, source, run.inputGeometry, run.study->geometry);
        const MaskAgreement a = compareWithRegion(overlay, *reference->onStudy, static_cast<float>(reference->level));
        out << (source.rollout ? "rollout" : "head") << '\t' << (source.rollout ? "" : std::to_string(source.layer)) << '\t'
            << (source.rollout ? "" : std::to_string(source.head)) << '\t' << reference->regionLabel() << '\t' << a.massInside
            << '\t' << a.chance << '\t' << a.enrichment << '\t' << (a.pointingHit ? 1 : 0) << '\t' << a.peakInside << '\t'
            << a.peakVoxels << '\t' << a.regionVoxels << '\n';
    }
    check<IoError>(static_cast<bool>(out), args.out + ": cannot write the agreement table");
}

} // namespace

void planStudy(MemoryPlan& plan, const DicomSeriesInfo& series)
{
    const std::size_t voxels = static_cast<std::size_t>(series.rows) * static_cast<std::size_t>(series.columns)
        * static_cast<std::size_t>(series.images);
    plan.add("study (decoded slices, then the volume)", 2 * voxels * sizeof(float),
             "a smaller series, or more memory for the job, would fit");
    plan.add("overlay on the study", voxels * sizeof(float));
    plan.add("body mask the overlay is drawn in", voxels);
}

bool CtKind::runs(const Model& model) const
{
    return dynamic_cast<const VolumeModel*>(&model) != nullptr;
}

bool CtKind::accepts(const std::filesystem::path& path) const
{
    std::error_code ec;
    return std::filesystem::is_directory(path, ec) ? folderHasDicom(path) : looksLikeDicomFile(path);
}

std::vector<Demo> CtKind::demos() const
{
    return {{"CT: head CT with the synthetic-lesion model", app::resourcePath("models/ct_lesion").toStdString(),
             app::resourcePath("data/ct_demo").toStdString(), {}},
            {"CT: head CT with a UNETR bundle (air, soft tissue, bone by HU)", app::resourcePath("models/unetr_head").toStdString(),
             app::resourcePath("data/ct_demo").toStdString(), {}}};
}

std::unique_ptr<Workspace> CtKind::createWorkspace(WorkspaceHost& host) const
{
    return std::make_unique<CtWorkspace>(*this, host);
}

std::unique_ptr<CtKindRun> CtKind::runOn(std::shared_ptr<const VolumeModel> model, std::shared_ptr<const Volume> study,
                                          const std::string& studyName, const RegionRequest& request, const RunOptions& options)
{
    auto out = std::make_unique<CtKindRun>();
    const auto start = std::chrono::steady_clock::now();
    const VolumeInput input = model->prepareInput(*study, request, options.progress);
    VolumeRun ran = model->runInput(input, request, options);
    if (ran.segmentation) { // labels on the study's own grid, 0 outside what the model saw
        out->labels = std::make_shared<const Volume>(resampleNearestOnto(ran.segmentation->labels, study->geometry, 0.0f, options.progress));
        out->labelNames = std::move(ran.segmentation->names);
    }
    auto result = std::make_shared<const RunResult>(std::move(ran.result));
    out->description.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out->description.recordName = studyName;
    out->data = widgets::makeRunData(std::move(result), volumeTokenAxis(model->patchLayout(), input.geometry), model->encoderConfig().labels,
                                     QString::fromStdString(studyName));
    out->inputGeometry = input.geometry;
    out->steps = input.steps;
    out->request = request;
    out->model = std::move(model);
    out->study = std::move(study);
    out->studyName = studyName;
    return out;
}

namespace {

/// A study's size and spacing from its headers (for the memory plan, before any pixel is read).
VolumeGeometry headerGeometry(const DicomSeriesInfo& series)
{
    VolumeGeometry g;
    g.size = {series.columns, series.rows, series.images};
    const DicomHeader& h = series.files.front();
    if (h.pixelSpacing)
        g.spacing = Eigen::Vector3d((*h.pixelSpacing)[1], (*h.pixelSpacing)[0], 1.0);
    const double slice = h.spacingBetweenSlices > 0 ? h.spacingBetweenSlices : h.sliceThickness;
    if (slice > 0)
        g.spacing.z() = slice;
    return g;
}

/// --center must name a voxel of the study.
void checkCentre(const RegionRequest& request, const Volume& study, const std::string& input)
{
    if (!request.centre)
        return;
    const auto& c = *request.centre;
    const auto& n = study.geometry.size;
    check<FormatError>(c[0] >= 0 && c[0] < n[0] && c[1] >= 0 && c[1] < n[1] && c[2] >= 0 && c[2] < n[2],
                       input + ": --center " + std::to_string(c[0]) + "," + std::to_string(c[1]) + "," + std::to_string(c[2])
                           + " is not a voxel of the study (" + std::to_string(n[0]) + " x " + std::to_string(n[1]) + " x "
                           + std::to_string(n[2]) + " voxels, counted from 0)");
}

/// What a request asks that the model cannot do, for the run's warnings.
std::vector<std::string> unusedRequest(const RegionRequest& request, const VolumeModel& model, bool segments)
{
    std::vector<std::string> out;
    if (request.centre && !model.seesRegion())
        out.push_back("--center is not used: the model sees the whole study");
    if (request.slidingWindow && !segments)
        out.push_back("--sliding-window is not used: the model does not segment");
    return out;
}

} // namespace

namespace {

/// Each image token's shell: its whole distance, in tokens, from the token grid's centre.
std::vector<int> distanceShells(const PatchLayout& layout, std::size_t tokens)
{
    std::vector<int> bins(tokens, -1);
    for (int z = 0; z < layout.grid[2]; ++z)
        for (int y = 0; y < layout.grid[1]; ++y)
            for (int x = 0; x < layout.grid[0]; ++x) {
                const Eigen::Vector3d d(x - (layout.grid[0] - 1) / 2.0, y - (layout.grid[1] - 1) / 2.0, z - (layout.grid[2] - 1) / 2.0);
                bins[static_cast<std::size_t>(layout.firstImageToken + layout.imageToken(x, y, z))] = static_cast<int>(d.norm());
            }
    return bins;
}

} // namespace

TokenAnnotations CtKind::annotations(const KindRun& kindRun, const AnnotationRequest& request) const
{
    const auto& run = dynamic_cast<const CtKindRun&>(kindRun);
    check(!request.file.empty(), "CT enrichment needs --annotations FILE: a DICOM SEG, an RT dose or a NIfTI mask on the study");
    const StudyReference reference = loadStudyReference(request.file, request.segment, *run.study, run.identity, request.level);
    const PatchLayout layout = run.model->patchLayout();
    const std::size_t tokens = static_cast<std::size_t>(run.data.result->attention.length());
    TokenAnnotations a;
    a.positions.assign(tokens, 0);
    a.eligible.assign(tokens, 0);
    std::fill(a.eligible.begin() + layout.firstImageToken, a.eligible.end(), char{1}); // not [CLS]
    a.positionBins = distanceShells(layout, tokens);
    const Volume& mask = *reference.onStudy;
    const auto& g = mask.geometry;
    for (int z = 0; z < g.size[2]; ++z)
        for (int y = 0; y < g.size[1]; ++y)
            for (int x = 0; x < g.size[0]; ++x) {
                if (mask.at(x, y, z) < reference.level)
                    continue;
                if (const auto t = nearestToken(layout, run.inputGeometry.size, run.inputGeometry.patientToIndex(g.indexToPatient(Eigen::Vector3d(x, y, z)))))
                    a.positions[static_cast<std::size_t>(*t)] = 1;
            }
    return a;
}

std::unique_ptr<Predictor> CtKind::predictor(const std::shared_ptr<const Model>&, const KindRun& run) const
{
    const auto& ct = dynamic_cast<const CtKindRun&>(run);
    auto input = std::make_shared<const VolumeInput>(ct.model->prepareInput(*ct.study, ct.request, nullptr));
    return volumePredictor(ct.model, std::move(input), ct.request);
}

std::unique_ptr<KindRun> CtKind::run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                     const RunOptions& options) const
{
    auto volumeModel = std::dynamic_pointer_cast<const VolumeModel>(model);
    const DicomScan scan = scanDicomFolder(choice.input, options.progress);
    const auto chosen = std::find_if(scan.series.begin(), scan.series.end(),
                                     [&](const DicomSeriesInfo& s) { return choice.series.empty() || s.uid == choice.series; });
    check<DicomError>(chosen != scan.series.end(), choice.input + (choice.series.empty() ? ": no DICOM image series found"
                                                                                         : ": no series with UID " + choice.series));
    const RegionRequest request{choice.centre, choice.slidingWindow};
    MemoryPlan plan("the run on " + choice.input);
    planStudy(plan, *chosen);
    volumeModel->planVolumeRun(plan, options.store, request, headerGeometry(*chosen));
    plan.check(options.store.budgetBytes); // before any pixel is decoded
    auto study = std::make_shared<const Volume>(loadDicomSeries(*chosen, options.progress).volume);
    checkCentre(request, *study, choice.input);
    auto out = runOn(std::move(volumeModel), std::move(study), chosen->description.empty() ? chosen->uid : chosen->description, request,
                     options);
    out->description.inputPath = choice.input;
    out->description.recordDescription = "SeriesInstanceUID " + chosen->uid;
    out->identity = {chosen->uid, chosen->files.front().frameOfReferenceUid};
    out->warnings = unusedRequest(request, *out->model, out->labels != nullptr);
    return out;
}

void CtKind::writeRun(const std::filesystem::path& directory, const Model& model, const KindRun& run, const RunDescription& description,
                      const RolloutOptions& rollout) const
{
    const auto& ct = dynamic_cast<const CtKindRun&>(run);
    RunFiles files;
    files.logits = run.data.result->logits.size() > 0;
    files.rolloutMean = ct.model->patchLayout().firstImageToken == 0;
    RunDescription d = description;
    d.inputDetails["preprocessing"] = joinLines(ct.steps);
    if (ct.labels) {
        d.inputDetails["segmentation"] = std::string("segmentation.nii.gz: argmax labels on the study's grid, 0 outside ")
            + (ct.request.slidingWindow ? "the study" : "the region") + "; labels " + joinNames(ct.labelNames);
    }
    writeRunDirectory(directory, model, run.data.axis, *run.data.result, d, rollout, files);
    if (ct.labels)
        writeNifti(directory / "segmentation.nii.gz", *ct.labels, true);
}

void CtKind::exportFigure(const std::string& view, const KindRun& run, widgets::ExplorerState& state, const ExportArgs& args) const
{
    if (view != "slices" && view != "volume" && view != "agreement")
        return Kind::exportFigure(view, run, state, args);
    const auto& ct = dynamic_cast<const CtKindRun&>(run);
    const auto reference = referenceFor(ct, args);
    if (view == "agreement")
        return exportAgreement(ct, reference.get(), args);
    const OverlaySource source = parseOverlay(args, run.data.layers(), run.data.heads());
    const Volume raw = ctOverlay(*ct.model, *run.data.result, source, ct.inputGeometry, ct.study->geometry);
    if (!args.overlayOut.empty())
        writeNifti(args.overlayOut, raw); // the numbers, every voxel
    const auto overlay = drawnOverlay(ct, raw);
    const widgets::OverlayStyle style{QString::fromStdString(args.colormap.empty() ? "magma" : args.colormap), args.opacity, args.threshold};
    if (view == "volume")
        return exportVolume(ct, overlay, style, args);
    widgets::VolumeState volume;
    volume.setVolume(ct.study, QString::fromStdString(ct.studyName));
    volume.setOverlay(overlay, QString::fromStdString(drawnOverlayLabel(source, ct.model->patchLayout())));
    volume.setOverlayStyle(style);
    if (reference)
        volume.setReference(reference->onStudy, reference->level, QString::fromStdString(reference->regionLabel()));
    QStringList names;
    for (const std::string& n : ct.labelNames)
        names << QString::fromStdString(n);
    volume.setLabels(ct.labels, names);
    if (const auto box = seenBox(ct))
        volume.setRegion(box, QString("the region the model saw, %1 x %2 x %3 voxels").arg(box->size[0]).arg(box->size[1]).arg(box->size[2]));
    volume.setCursor(peakVoxel(*overlay)); // the slices through the overlay's peak
    const widgets::SlicesFigure figure(&volume);
    widgets::exportAny(figure, QString::fromStdString(args.out), args.dpi);
}

std::optional<VolumeGeometry> seenBox(const CtKindRun& run)
{
    if (run.model->seesRegion())
        return run.inputGeometry;
    // does the input grid's box (voxel faces) hold every voxel centre of the study? the corners suffice
    const auto& g = run.study->geometry;
    for (int corner = 0; corner < 8; ++corner) {
        const Eigen::Vector3d voxel((corner & 1) ? g.size[0] - 1 : 0, (corner & 2) ? g.size[1] - 1 : 0, (corner & 4) ? g.size[2] - 1 : 0);
        const Eigen::Vector3d i = run.inputGeometry.patientToIndex(g.indexToPatient(voxel));
        for (int a = 0; a < 3; ++a)
            if (i[a] < -0.5 - 1e-6 || i[a] > run.inputGeometry.size[static_cast<std::size_t>(a)] - 0.5 + 1e-6)
                return run.inputGeometry;
    }
    return std::nullopt;
}

std::shared_ptr<const Volume> drawnOverlay(const CtKindRun& run, const Volume& overlay)
{
    std::call_once(run.bodyOnce, [&run] { run.body = bodyMask(*run.study); });
    return std::make_shared<const Volume>(maskedToBody(overlay, run.body));
}

std::string drawnOverlayLabel(const OverlaySource& source, const PatchLayout& layout)
{
    return describe(source, layout) + "; drawn inside the body only (air outside it, below " + std::to_string(static_cast<int>(kAirLevelHu))
        + " HU, masked)";
}

const Kind& ctKind()
{
    static const CtKind kind;
    return kind;
}

} // namespace attn::kinds
