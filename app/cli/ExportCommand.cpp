// attnscope-cli export: the GUI's views drawn offscreen, exported as the GUI does.

#include "cli/CliCommands.h"

#include "common/ExplorerState.h"
#include "export/FigureExport.h"
#include "heads/HeadGridView.h"
#include "kinds/KindRegistry.h"
#include "map/AttentionMapView.h"
#include "model/ModelFamily.h"
#include "stats/HeadStatsView.h"
#include "tokens/TokenView.h"
#include "util/Error.h"

#include <QApplication>
#include <QImage>
#include <QDir>

#include <algorithm>
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

/// The attention views every kind's run shows.
const std::vector<std::string>& sharedViewNames()
{
    static const std::vector<std::string> names{"grid", "map", "tokens", "stats"};
    return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

const std::vector<std::string>& exportViewNames()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all = sharedViewNames();
        for (const kinds::Kind* kind : kinds::kindRegistry())
            for (const std::string& v : kind->figureViews())
                if (!contains(all, v))
                    all.push_back(v);
        return all;
    }();
    return names;
}

void exportCommand(const ExportArgs& args, int argc, char** argv)
{
    const auto app = headlessApplication(argc, argv);
    const auto model = loadModelPath(args.model);
    const kinds::Kind& kind = kinds::kindRunning(*model, args.model);
    const bool shared = contains(sharedViewNames(), args.view);
    check<FormatError>(shared || contains(kind.figureViews(), args.view),
                       args.model + ": --view " + args.view + " is not a view of " + kind.name() + " runs");
    if (!shared)
        kind.checkFigure(args.view, args); // before the run: a figure it cannot make costs no model run
    RunOptions options;
    options.store.budgetBytes = static_cast<std::size_t>(args.budgetMb * 1e6);
    options.interventions = parseInterventions(args.interventions);
    const auto run = kind.run(model, args.choice, options);
    reportRunWarnings(*run);
    if (!options.interventions.empty())
        kind.finishRun(model, *run, options); // the figure's title and caption name them
    checkSelection(args, run->data);
    widgets::ExplorerState state;
    state.setColormap(QString::fromStdString(args.colormap.empty() ? "viridis" : args.colormap));
    state.setScale(args.logScale ? ColourScale::Log : ColourScale::Linear);
    state.setRun(run->data);
    state.select(args.layer, args.head);
    state.selectToken(args.token);
    if (args.subtractLayer >= 0)
        state.setComparison(args.subtractLayer, args.subtractHead);
    if (!shared)
        return kind.exportFigure(args.view, *run, state, args);
    const std::unique_ptr<QWidget> view = makeView(args.view, &state);
    view->resize(dynamic_cast<widgets::FigureSource&>(*view).figureSize());
    widgets::exportAny(dynamic_cast<widgets::FigureSource&>(*view), QString::fromStdString(args.out), args.dpi);
}

} // namespace attn::cli
