// attnscope-cli export: the GUI's views drawn offscreen, exported as the GUI does.

#include "cli/CliCommands.h"

#include "common/ExplorerState.h"
#include "dicom/DicomSeries.h"
#include "interpret/CtOverlay.h"
#include "io/Nifti.h"
#include "render3d/VolumeRenderView.h"
#include "slices/SlicesFigure.h"
#include "export/FigureExport.h"
#include "heads/HeadGridView.h"
#include "map/AttentionMapView.h"
#include "stats/HeadStatsView.h"
#include "tokens/TokenView.h"
#include "track/SequenceTrackView.h"
#include "util/Error.h"

#include <QApplication>
#include <QImage>
#include <QDir>

#include <memory>

#include <unistd.h>

namespace attn::cli {
namespace {

/// A QApplication on the offscreen platform unless one exists or a platform was chosen.
std::unique_ptr<QApplication> headlessApplication(int& argc, char** argv)
{
    if (QApplication::instance())
        return nullptr;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) { // else Qt warns on stderr, which is for our messages
        const QString dir = QDir::tempPath() + "/attnscope-runtime-" + QString::number(getuid());
        QDir().mkpath(dir);
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        qputenv("XDG_RUNTIME_DIR", dir.toLocal8Bit());
    }
    return std::make_unique<QApplication>(argc, argv);
}

std::unique_ptr<QWidget> makeView(const std::string& name, widgets::ExplorerState* state)
{
    if (name == "grid")
        return std::make_unique<widgets::HeadGridView>(state);
    if (name == "map")
        return std::make_unique<widgets::AttentionMapView>(state);
    if (name == "tokens")
        return std::make_unique<widgets::TokenView>(state);
    if (name == "track")
        return std::make_unique<widgets::SequenceTrackView>(state);
    if (name == "stats")
        return std::make_unique<widgets::HeadStatsView>(state);
    throw Error("unknown view '" + name + "'");
}

void checkSelection(const ExportArgs& args, const widgets::RunData& run)
{
    const std::string m = args.model + ": ";
    check<FormatError>(args.layer >= 0 && args.layer < run.layers(),
                       m + "--layer " + std::to_string(args.layer) + " does not exist (the model has " + std::to_string(run.layers()) + " layers)");
    check<FormatError>(args.head >= 0 && args.head < run.heads(),
                       m + "--head " + std::to_string(args.head) + " does not exist (the model has " + std::to_string(run.heads()) + " heads)");
    if (args.subtractLayer >= 0 || args.subtractHead >= 0)
        check<FormatError>(args.subtractLayer >= 0 && args.subtractLayer < run.layers() && args.subtractHead >= 0
                               && args.subtractHead < run.heads(),
                           m + "--subtract-layer/--subtract-head " + std::to_string(args.subtractLayer) + "/"
                               + std::to_string(args.subtractHead) + " is not a head of the model");
    check<FormatError>(args.token >= -1 && args.token < run.length(),
                       args.choice.input + ": --token " + std::to_string(args.token) + " does not exist (the input has " + std::to_string(run.length()) + " tokens)");
}

} // namespace

const std::vector<std::string>& exportViewNames()
{
    static const std::vector<std::string> names{"grid", "map", "tokens", "track", "stats", "slices", "volume"};
    return names;
}

namespace {

OverlaySource parseOverlay(const ExportArgs& args, const CtModel& model)
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
    const auto& e = model.config().encoder;
    check<FormatError>(layer >= 0 && layer < e.nLayers && head >= 0 && head < e.nHeads,
                       args.model + ": --overlay " + args.overlay + " is not 'rollout' or a LAYER,HEAD of the model ("
                           + std::to_string(e.nLayers) + " layers of " + std::to_string(e.nHeads) + " heads)");
    s.rollout = false;
    s.layer = layer;
    s.head = head;
    return s;
}

/// CT: run the model on a DICOM series, overlay its attention, export the slices (and the overlay).
void exportCt(const ExportArgs& args)
{
    const auto model = loadCtModel(args.model);
    const OverlaySource source = parseOverlay(args, *model);
    check<FormatError>(args.view == "slices" || args.view == "volume", args.model + ": a CT model exports --view slices or volume");
    if (args.view == "volume") {
        check<FormatError>(QString::fromStdString(args.out).endsWith(".png", Qt::CaseInsensitive),
                           args.out + ": the 3D view is exported as PNG");
        check<ResourceError>(widgets::volumeRenderingAvailable(),
                             "--view volume renders with OpenGL and needs an X display: run it under xvfb-run");
    }
    const DicomScan scan = scanDicomFolder(args.choice.input);
    const auto chosen = std::find_if(scan.series.begin(), scan.series.end(),
                                     [&](const DicomSeriesInfo& s) { return args.series.empty() || s.uid == args.series; });
    check<DicomError>(chosen != scan.series.end(), args.choice.input + (args.series.empty() ? ": no DICOM image series found"
                                                                                             : ": no series with UID " + args.series));
    auto study = std::make_shared<const Volume>(loadDicomSeries(*chosen).volume);
    VolumeGeometry inputGeometry;
    const RunResult run = model->run(model->prepare(*study, &inputGeometry), {});
    auto overlay = std::make_shared<const Volume>(ctOverlay(*model, run, source, inputGeometry, study->geometry));
    if (!args.overlayOut.empty())
        writeNifti(args.overlayOut, *overlay);
    widgets::VolumeState state;
    state.setVolume(study, QString::fromStdString(chosen->description.empty() ? chosen->uid : chosen->description));
    state.setOverlay(overlay, QString::fromStdString(describe(source)));
    const widgets::OverlayStyle style{QString::fromStdString(args.colormap.empty() ? "magma" : args.colormap), args.opacity, args.threshold};
    state.setOverlayStyle(style);
    const auto peak = std::max_element(overlay->values.begin(), overlay->values.end()) - overlay->values.begin();
    const auto& g = study->geometry;
    state.setCursor({static_cast<int>(peak % g.size[0]), static_cast<int>(peak / g.size[0] % g.size[1]),
                     static_cast<int>(peak / (g.size[0] * g.size[1]))}); // the slices through the overlay's peak
    if (args.view == "volume") {
        widgets::VolumeScene scene(600, 600);
        scene.setVolume(study);
        scene.setPreset(std::find_if(widgets::volumePresets().begin(), widgets::volumePresets().end(),
                                     [&](const auto& p) { return p.second == args.preset; })->first);
        scene.setOverlay(overlay, style);
        check<IoError>(widgets::renderImage(scene).save(QString::fromStdString(args.out), "PNG"), args.out + ": cannot write the PNG file");
        return;
    }
    const widgets::SlicesFigure figure(&state);
    widgets::exportAny(figure, QString::fromStdString(args.out), args.dpi);
}

} // namespace

void exportCommand(const ExportArgs& args, int argc, char** argv)
{
    if (isCtModelDirectory(args.model)) {
        const auto app = headlessApplication(argc, argv);
        exportCt(args);
        return;
    }
    check<FormatError>(args.view != "slices", args.model + ": --view slices needs a CT model (family ct_encoder)");
    const RolloutOptions rollout{parseHeadFusion(args.fusion), args.discard, args.startLayer};
    const auto app = headlessApplication(argc, argv);
    const auto model = loadModel(args.model);
    const SelectedInput in = selectInput(args.choice, *model);
    widgets::ExplorerState state;
    state.setColormap(QString::fromStdString(args.colormap.empty() ? "viridis" : args.colormap));
    state.setScale(args.logScale ? ColourScale::Log : ColourScale::Linear);
    widgets::RunData run = widgets::runSequence(*model, in.sequence, QString::fromStdString(in.name), {});
    checkSelection(args, run);
    state.setRun(std::move(run));
    state.select(args.layer, args.head);
    state.selectToken(args.token);
    if (args.subtractLayer >= 0)
        state.setComparison(args.subtractLayer, args.subtractHead);
    const std::unique_ptr<QWidget> view = makeView(args.view, &state);
    if (auto* track = dynamic_cast<widgets::SequenceTrackView*>(view.get()))
        track->setRolloutOptions(rollout);
    view->resize(dynamic_cast<widgets::FigureSource&>(*view).figureSize());
    widgets::exportAny(dynamic_cast<widgets::FigureSource&>(*view), QString::fromStdString(args.out), args.dpi);
}

} // namespace attn::cli
