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

#include <QImage>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

namespace attn::kinds {
namespace {

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
            sources.push_back({false, {}, layer, head});
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
    return dynamic_cast<const CtModel*>(&model) != nullptr;
}

bool CtKind::accepts(const std::filesystem::path& path) const
{
    std::error_code ec;
    return std::filesystem::is_directory(path, ec) ? folderHasDicom(path) : looksLikeDicomFile(path);
}

Demo CtKind::demo() const
{
    return {"CT: head CT with the synthetic-lesion model", app::resourcePath("models/ct_lesion").toStdString(),
            app::resourcePath("data/ct_demo").toStdString(), {}};
}

std::unique_ptr<Workspace> CtKind::createWorkspace(WorkspaceHost& host) const
{
    return std::make_unique<CtWorkspace>(*this, host);
}

std::unique_ptr<CtKindRun> CtKind::runOn(std::shared_ptr<const CtModel> model, std::shared_ptr<const Volume> study,
                                          const std::string& studyName, const RunOptions& options)
{
    auto out = std::make_unique<CtKindRun>();
    const auto start = std::chrono::steady_clock::now();
    const Grid input = model->prepare(*study, &out->inputGeometry);
    auto result = std::make_shared<const RunResult>(model->run(input, options));
    out->description.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out->description.recordName = studyName;
    out->data = widgets::makeRunData(std::move(result), model->tokenAxis(out->inputGeometry), model->config().encoder.labels,
                                     QString::fromStdString(studyName));
    out->model = std::move(model);
    out->study = std::move(study);
    out->studyName = studyName;
    return out;
}

std::unique_ptr<KindRun> CtKind::run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                     const RunOptions& options) const
{
    auto ct = std::dynamic_pointer_cast<const CtModel>(model);
    const DicomScan scan = scanDicomFolder(choice.input, options.progress);
    const auto chosen = std::find_if(scan.series.begin(), scan.series.end(),
                                     [&](const DicomSeriesInfo& s) { return choice.series.empty() || s.uid == choice.series; });
    check<DicomError>(chosen != scan.series.end(), choice.input + (choice.series.empty() ? ": no DICOM image series found"
                                                                                         : ": no series with UID " + choice.series));
    MemoryPlan plan("the run on " + choice.input);
    planStudy(plan, *chosen);
    ct->planRun(plan, options.store);
    plan.check(options.store.budgetBytes); // before any pixel is decoded
    auto study = std::make_shared<const Volume>(loadDicomSeries(*chosen, options.progress).volume);
    auto out = runOn(std::move(ct), std::move(study), chosen->description.empty() ? chosen->uid : chosen->description, options);
    out->description.inputPath = choice.input;
    out->description.recordDescription = "SeriesInstanceUID " + chosen->uid;
    out->identity = {chosen->uid, chosen->files.front().frameOfReferenceUid};
    return out;
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
    volume.setOverlay(overlay, QString::fromStdString(drawnOverlayLabel(source)));
    volume.setOverlayStyle(style);
    if (reference)
        volume.setReference(reference->onStudy, reference->level, QString::fromStdString(reference->regionLabel()));
    volume.setCursor(peakVoxel(*overlay)); // the slices through the overlay's peak
    const widgets::SlicesFigure figure(&volume);
    widgets::exportAny(figure, QString::fromStdString(args.out), args.dpi);
}

std::shared_ptr<const Volume> drawnOverlay(const CtKindRun& run, const Volume& overlay)
{
    std::call_once(run.bodyOnce, [&run] { run.body = bodyMask(*run.study); });
    return std::make_shared<const Volume>(maskedToBody(overlay, run.body));
}

std::string drawnOverlayLabel(const OverlaySource& source)
{
    return describe(source) + "; drawn inside the body only (air outside it, below " + std::to_string(static_cast<int>(kAirLevelHu))
        + " HU, masked)";
}

const Kind& ctKind()
{
    static const CtKind kind;
    return kind;
}

} // namespace attn::kinds
