// The protein kind's own figures for attnscope-cli export: the alignment, the column attention
// of one column, the contact map and the 3D structure, drawn by the window's views.

#include "kinds/protein/ProteinKind.h"
#include "kinds/protein/ProteinViews.h"

#include "export/FigureExport.h"
#include "msa/MsaReader.h"
#include "render3d/VolumeScene.h"
#include "util/Error.h"

#include <QComboBox>

namespace attn::kinds {

std::vector<std::string> ProteinKind::figureViews() const
{
    return {"msa", "column-attention", "contacts", "structure"};
}

namespace {

/// The alignment as the window shows it: every row of the file (the model may have seen fewer);
/// ESM's plain sequences, which are no alignment, as run.
std::shared_ptr<const Msa> shownAlignment(const ProteinKindRun& run, const ExportArgs& args)
{
    try {
        return std::make_shared<const Msa>(readMsa(args.choice.input));
    } catch (const FormatError&) {
        if (run.axial)
            throw;
        return std::make_shared<const Msa>(run.msa);
    }
}

std::shared_ptr<const OpenStructure> openStructure(const ExportArgs& args, const Msa& msa)
{
    auto structure = std::make_shared<const ProteinStructure>(readStructure(args.structure));
    const int chain = args.chain.empty() ? bestChain(*structure, msa.rows.front().residues)
                                         : static_cast<int>(&structure->chain(args.chain) - structure->chains.data());
    return std::make_shared<const OpenStructure>(placeQuery(std::move(structure), chain, msa.rows.front().residues));
}

int contactSourceIndex(const std::string& name)
{
    return name == "head" ? 1 : name == "baseline" ? 2 : 0;
}

} // namespace

void ProteinKind::checkFigure(const std::string& view, const ExportArgs& args) const
{
    if (view == "column-attention")
        check<FormatError>(args.column > 0, "--view column-attention needs --column");
    if (view != "structure")
        return;
    check<FormatError>(!args.structure.empty(), "--view structure needs --structure");
    const QString out = QString::fromStdString(args.out);
    check<FormatError>(out.endsWith(".png", Qt::CaseInsensitive) || out.endsWith(".csv", Qt::CaseInsensitive)
                           || out.endsWith(".npy", Qt::CaseInsensitive),
                       args.out + ": the 3D view is exported as PNG (or its data as CSV, NPY)");
    check<ResourceError>(widgets::volumeRenderingAvailable(), "--view structure renders with OpenGL and needs an X display: run it under xvfb-run");
}

void ProteinKind::exportFigure(const std::string& view, const KindRun& kindRun, widgets::ExplorerState& state, const ExportArgs& args) const
{
    const auto& run = dynamic_cast<const ProteinKindRun&>(kindRun);
    const auto msa = shownAlignment(run, args);
    check<FormatError>(args.column <= static_cast<int>(msa->columns()),
                       args.choice.input + ": --column " + std::to_string(args.column) + " does not exist (the alignment has "
                           + std::to_string(msa->columns()) + " columns)");
    ProteinViews views(state);
    views.showAlignment(msa);
    views.analysisJob().wait(); // a figure is drawn once: with the weighted profiles and the baseline
    if (!args.structure.empty())
        views.showStructure(openStructure(args, *msa));
    views.showRun(&run);
    views.contactSource()->setCurrentIndex(contactSourceIndex(args.contactSource));
    if (args.column > 0)
        views.alignment()->selectColumn(args.column - 1);
    QWidget* widget = nullptr;
    if (view == "msa") {
        widget = views.alignment();
        if (args.column > 0)
            views.alignment()->showColumn(args.column - 1);
    } else if (view == "column-attention") {
        check<FormatError>(run.axial, args.model + ": --view column-attention needs an MSA Transformer (ESM has no column attention)");
        widget = views.columnAttention();
    } else if (view == "contacts") {
        widget = views.contactMap();
    } else {
        widget = views.structure();
        widget->setParent(nullptr); // out of its tab, shown on its own: the scene renders for a shown view
        widget->resize(views.structure()->figureSize());
        widget->show(); // (the offscreen platform shows nothing)
    }
    widget->resize(dynamic_cast<widgets::FigureSource&>(*widget).figureSize());
    widgets::exportAny(dynamic_cast<widgets::FigureSource&>(*widget), QString::fromStdString(args.out), args.dpi);
    for (const TitledWidget& tab : views.tabs())
        delete tab.widget;
    if (view == "structure")
        delete widget;
}

} // namespace attn::kinds
