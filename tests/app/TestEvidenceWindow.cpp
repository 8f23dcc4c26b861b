// Evidence in the window. Interventions: a head's menu (in the grid, the statistics and the map) ablates it or
// changes its temperature; the run shown becomes the intervened one, its name, every title and every
// exported figure saying so; the prediction panel shows the unchanged prediction beside it; the changed
// heads are marked; restoring brings the plain run back. The numbers are the PyTorch reference's
// (tests/data/golden/interventions). Head importance, faithfulness and enrichment computed in the
// background for the shown input.

#include "common/HeadMenu.h"
#include "common/RunComputation.h"
#include "common/SourceChooser.h"
#include "export/FigureExport.h"
#include "faithfulness/FaithfulnessView.h"
#include "gui/EnrichmentView.h"
#include "gui/ExplorerPage.h"
#include "gui/MainWindow.h"
#include "gui/Session.h"
#include "heads/HeadGridView.h"
#include "importance/HeadImportanceView.h"
#include "io/Nifti.h"
#include "kinds/ct/CtWorkspace.h"
#include "kinds/dna/DnaWorkspace.h"
#include "map/AttentionMapView.h"
#include "render3d/VolumeRenderView.h"
#include "slices/SliceView.h"
#include "tokens/TokenView.h"
#include "track/SequenceTrackView.h"

#include "AppTestSupport.h"
#include "TestSupport.h"

#include <QAction>
#include <QJsonObject>
#include <QSignalSpy>
#include <QFile>
#include <QDir>
#include <QJsonArray>
#include <QComboBox>
#include <QDockWidget>
#include <QImage>
#include <QLabel>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QMenu>
#include <QSlider>
#include <QTabWidget>
#include <QTest>

#include <cmath>
#include <memory>

using namespace attn;
using namespace attn::test;
using attn::app::MainWindow;

namespace {

/// Triggers one action of head (layer, head)'s menu, then waits for the run it starts.
bool fromMenu(MainWindow& w, QWidget* view, int layer, int head, const char* action)
{
    std::unique_ptr<QMenu> menu(widgets::headMenu(w.explorer(), layer, head, view));
    QAction* a = menu->findChild<QAction*>(action);
    if (!a || !a->isEnabled())
        return false;
    a->trigger();
    return waitForRun(w);
}

} // namespace

class TestEvidenceWindow : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString golden(const char* name) { return QString::fromStdString(goldenDir(name).string()); }

private slots:
    void initTestCase() { useTestSettings("attnscope-interventions"); }
    void aHeadsMenuChangesTheRunAndThePanelComparesIt()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
        QVERIFY(waitForRun(w));
        const std::vector<float> plain = readNpy(goldenDir("cli") / "expected/logits.npy").data;
        auto* grid = w.findChild<widgets::HeadGridView*>();
        QVERIFY(grid);
        {
            std::unique_ptr<QMenu> menu(widgets::headMenu(w.explorer(), 0, 1, grid));
            QVERIFY(!menu->findChild<QAction*>("restoreAll")->isEnabled()); // nothing changed yet
        }
        // the golden "mean" case: layer 0, head 1 replaced by its mean output
        QVERIFY(fromMenu(w, grid, 0, 1, "ablateMean"));
        const widgets::RunData& run = w.explorer().run();
        QCOMPARE(run.name, QString("rec1 [intervened: L0H1 mean-ablated]"));
        const std::vector<float> ablated = readNpy(goldenDir("interventions") / "torch_encoder_preln/mean/logits.npy").data;
        QVERIFY(maxAbsDiff(run.result->logits.data(), ablated.data(), ablated.size()) < 1e-4f); // the views show the intervened run
        QVERIFY(run.comparison);
        QVERIFY(maxAbsDiff(run.comparison->base.data(), plain.data(), plain.size()) < 1e-4f); // beside the unchanged one
        QVERIFY(std::abs(run.comparison->change - klDivergence(plain, ablated)) < 1e-5);
        QCOMPARE(run.edits.size(), std::size_t{1});
        const QString panel = w.explorerPage()->findChild<QLabel*>("prediction")->text();
        QVERIFY2(panel.contains("intervened: L0H1 mean-ablated") && panel.contains("KL(p || p_ablated) = ") && panel.contains("original:"),
                 qPrintable(panel));
        QVERIFY(grid->figureTitle().contains("[intervened: L0H1 mean-ablated]"));
        QVERIFY(w.explorerPage()->mapView()->figureTitle().contains("[intervened: L0H1 mean-ablated]"));
        QCOMPARE(widgets::editTags(w.explorer(), 0, 1), QString("mean"));
        // an exported figure carries the caption above it
        const QString png = tmp_.path() + "/grid.png";
        widgets::exportAny(*grid, png, 96);
        QCOMPARE(QImage(png).height(), grid->figureSize().height() + 22);
        // a second head, from the temperature slider (T = 2), on top of the first
        std::unique_ptr<QMenu> menu(widgets::headMenu(w.explorer(), 2, 0, grid));
        auto* slider = menu->findChild<QSlider*>("temperatureSlider");
        QVERIFY(slider);
        slider->setValue(4);
        emit slider->sliderReleased();
        QVERIFY(waitForRun(w));
        QCOMPARE(w.explorer().run().edits.size(), std::size_t{2});
        QVERIFY2(w.explorer().run().name.endsWith("[intervened: L0H1 mean-ablated, L2H0 T=2]"), qPrintable(w.explorer().run().name));
        QCOMPARE(widgets::editTags(w.explorer(), 2, 0), QString("T2"));
        // restoring every head brings the plain run back, unmarked
        QVERIFY(fromMenu(w, grid, 0, 0, "restoreAll"));
        QCOMPARE(w.explorer().run().name, QString("rec1"));
        QVERIFY(!w.explorer().run().comparison && w.explorer().run().edits.empty());
        QVERIFY(maxAbsDiff(w.explorer().run().result->logits.data(), plain.data(), plain.size()) < 1e-4f);
        QVERIFY(!w.explorerPage()->findChild<QLabel*>("prediction")->text().contains("intervened"));
    }
    void importanceIsComputedInTheBackgroundAndKeptPerRun()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
        QVERIFY(waitForRun(w));
        auto* view = w.findChild<widgets::HeadImportanceView*>();
        QVERIFY(view);
        w.findChild<QDockWidget*>("dockHeadImportance")->raise();
        QVERIFY(!view->shown());
        view->ablationBox()->setCurrentIndex(1); // mean: the golden case's ablation
        view->compute();
        QVERIFY(view->job().isRunning()); // in the background
        view->job().wait();
        const widgets::ImportanceResult* r = view->shown();
        QVERIFY(r);
        QCOMPARE(r->importance.grid.rows(), 3);
        QCOMPARE(r->importance.grid.cols(), 4);
        const std::vector<float> plain = readNpy(goldenDir("cli") / "expected/logits.npy").data;
        const std::vector<float> ablated = readNpy(goldenDir("interventions") / "torch_encoder_preln/mean/logits.npy").data;
        QVERIFY(std::abs(r->importance.grid(0, 1) - klDivergence(plain, ablated)) < 1e-5); // the PyTorch reference's KL
        QCOMPARE(r->pruning.random.size(), std::size_t{5});
        QCOMPARE(r->correlations.size(), std::size_t{4});
        QCOMPARE(view->figureData().array.shape, (std::vector<std::int64_t>{3, 4}));
        const QImage shot = w.grab().toImage();
        QVERIFY(!shot.isNull());
        if (const QByteArray dir = qgetenv("ATTNSCOPE_SHOTS"); !dir.isEmpty()) // tools/screenshots.sh
            shot.save(QString::fromUtf8(dir) + "/importance-1280.png");
        view->compute(); // cached: nothing starts
        QVERIFY(!view->job().isRunning());
        view->ablationBox()->setCurrentIndex(0);
        QVERIFY(!view->shown()); // zero ablation: not computed yet
        view->ablationBox()->setCurrentIndex(1);
        QCOMPARE(view->shown(), r);
        w.shownWorkspace()->run(); // a new run of the same input: its own importance
        QVERIFY(waitForRun(w));
        QVERIFY(!view->shown());
    }
    void faithfulnessCurvesAreComputedForTheShownRun()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
        QVERIFY(waitForRun(w));
        auto* view = w.explorerPage()->faithfulnessView();
        w.findChild<QTabWidget*>("centreTabs")->setCurrentWidget(view);
        view->sourceBox()->setCurrentText("alti");
        view->compute();
        QVERIFY(view->job().isRunning());
        view->job().wait();
        const Faithfulness* f = view->shown();
        QVERIFY(f);
        const Vector p = probabilities(w.explorer().run().result->logits);
        QVERIFY(std::abs(f->baseScore - static_cast<double>(p.maxCoeff())) < 1e-5); // the run's own predicted-class probability
        QCOMPARE(f->source.deletion.front(), f->baseScore);
        QCOMPARE(f->source.deletion.back(), f->source.insertion.front()); // every ranked token replaced
        QCOMPARE(f->random.size(), std::size_t{5});
        QCOMPARE(QString::fromStdString(f->replacement), QString("[UNK]"));
        QCOMPARE(f->removable, std::size_t{12});
        // Spearman between every pair of the five sources, as the core ranks them on this run
        const std::vector<SourceCorrelation> rho = view->correlations();
        QCOMPARE(rho.size(), std::size_t{10});
        const RunResult& result = *w.explorer().run().result;
        const auto& predictor = *w.explorer().run().predictor;
        const auto expected = sourceCorrelations(
            everySourceScores(result.attention, result.keyPadding, decomposeRun(predictor, Interventions{}, AttributionMethod::Alti, nullptr), true),
            predictor.removable());
        for (std::size_t i = 0; i < rho.size(); ++i)
            QVERIFY(rho[i].a == expected[i].a && rho[i].b == expected[i].b && std::abs(rho[i].rho - expected[i].rho) < 1e-12);
        const QImage shot = w.grab().toImage();
        QVERIFY(!shot.isNull());
        if (const QByteArray dir = qgetenv("ATTNSCOPE_SHOTS"); !dir.isEmpty())
            shot.save(QString::fromUtf8(dir) + "/faithfulness-1280.png");
        // an intervened run is judged with its interventions
        w.shownWorkspace()->setInterventions(Interventions({parseHeadEdit("0,1:mean")}));
        QVERIFY(waitForRun(w));
        QVERIFY(!view->shown());
        view->compute();
        view->job().wait();
        const std::vector<float> ablated = readNpy(goldenDir("interventions") / "torch_encoder_preln/mean/logits.npy").data;
        const Vector q = probabilities(Eigen::Map<const Vector>(ablated.data(), static_cast<Index>(ablated.size())));
        Index best = 0;
        probabilities(w.explorer().run().comparison ? Vector(Eigen::Map<const Vector>(w.explorer().run().comparison->base.data(), 3)) : Vector())
            .maxCoeff(&best);
        QVERIFY(view->shown() && std::abs(view->shown()->baseScore - static_cast<double>(q(best))) < 1e-5);
    }
    void theMapShowsADecompositionOfTheShownRun()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(openAndWait(w, golden("preln_gelu")));
        QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
        QVERIFY(waitForRun(w));
        widgets::SourceChooser* chooser = w.explorerPage()->sourceChooser();
        auto* map = w.explorerPage()->mapView();
        w.explorer().select(1, 2);
        QVERIFY(map->figureTitle().startsWith("Layer 1, head 2"));
        chooser->controls()->choiceBox()->setCurrentText("alti");
        QVERIFY(!w.explorer().sourceMaps()); // nothing shown until computed: the map still says attention
        QVERIFY(map->figureTitle().startsWith("Layer 1, head 2"));
        chooser->compute();
        chooser->controls()->job().wait();
        const widgets::SourceMaps* maps = w.explorer().sourceMaps();
        QVERIFY(maps && maps->method == AttributionMethod::Alti);
        QVERIFY2(map->figureTitle().contains("alti, layer 1 (heads combined; reconstruction error"), qPrintable(map->figureTitle()));
        // the numbers are the core's decomposition of the same input (checked against PyTorch by TestAttributions)
        const std::vector<LayerAttribution> layers = decomposeRun(*w.explorer().run().predictor, Interventions{}, AttributionMethod::Alti, nullptr);
        QCOMPARE(maps->reconstructionErrors.size(), std::size_t{3});
        for (std::size_t l = 0; l < 3; ++l)
            QVERIFY(maps->reconstructionErrors[l] == layers[l].reconstructionError && maps->reconstructionErrors[l] < 1e-5);
        const widgets::FigureData data = map->figureData();
        QCOMPARE(data.columns.back(), QString("alti"));
        QVERIFY(!data.rows.empty());
        for (const QStringList& row : data.rows)
            QVERIFY(std::abs(row.back().toDouble() - layers[1].alti(row[0].toInt(), row[2].toInt())) < 1e-6);
        QVERIFY(w.explorerPage()->tokenView()->figureTitle().contains("alti, layer 1 (heads combined)"));
        // the sequence track: the layer's ALTI row of [CLS] and ALTI's own roll-out in place of attention's
        auto* track = w.findChild<widgets::SequenceTrackView*>();
        QVERIFY(track);
        QVERIFY((track->headRow() - layers[1].alti.row(0)).cwiseAbs().maxCoeff() < 1e-6);
        const RowVector rolled = rolledOutRow(methodLayers(layers, AttributionMethod::Alti), 0);
        QVERIFY((track->display().rollout - rolled).cwiseAbs().maxCoeff() < 1e-5);
        QCOMPARE(track->stripName(0), QString("alti rolled out"));
        QCOMPARE(track->figureData().columns.at(2), QString("alti_rolled_out"));
        // back to attention, and a new run drops the maps of the old one
        chooser->controls()->choiceBox()->setCurrentText("attention");
        QVERIFY(!w.explorer().sourceMaps() && map->figureTitle().startsWith("Layer 1, head 2"));
        chooser->controls()->choiceBox()->setCurrentText("alti");
        QVERIFY(w.explorer().sourceMaps()); // kept for this run
        w.shownWorkspace()->setInterventions(Interventions({parseHeadEdit("0,1:zero")}));
        QVERIFY(waitForRun(w));
        QVERIFY(!w.explorer().sourceMaps());
        QVERIFY(map->figureTitle().contains("head 2"));
        const QImage shot = w.grab().toImage();
        if (const QByteArray dir = qgetenv("ATTNSCOPE_SHOTS"); !dir.isEmpty()) {
            chooser->compute();
            chooser->controls()->job().wait();
            w.grab().save(QString::fromUtf8(dir) + "/source-alti-1280.png");
        }
    }
    void aSessionKeepsTheChangedHeadsAndTheSource()
    {
        // the heads changed and the map's source are part of the work: a saved session reruns with the same
        // edits (the same numbers) and computes the same decomposition again
        const QString path = QDir::temp().filePath("attnscope-evidence-session.attnscope");
        std::vector<float> logits;
        {
            MainWindow w;
            QVERIFY(openAndWait(w, golden("preln_gelu")));
            QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
            QVERIFY(waitForRun(w));
            w.shownWorkspace()->setInterventions(Interventions({parseHeadEdit("0,1:zero"), parseHeadEdit("2,0:T=2")}));
            QVERIFY(waitForRun(w));
            computeSource(w, "alti");
            QVERIFY(w.explorer().sourceMaps());
            logits.assign(w.explorer().run().result->logits.data(), w.explorer().run().result->logits.data() + w.explorer().run().result->logits.size());
            QVERIFY(w.sessions().save(path));
        }
        const QJsonObject saved = app::readSessionFile(path);
        QCOMPARE(saved.value("interventions").toArray(), (QJsonArray{"0,1:zero", "2,0:T=2"}));
        QCOMPARE(saved.value("display").toObject().value("source").toString(), QString("alti"));
        MainWindow again;
        QSignalSpy restored(&again.sessions(), &app::SessionController::restored);
        QVERIFY(again.sessions().open(path));
        QVERIFY(restored.count() == 1 || restored.wait(120000));
        QCOMPARE(again.shownWorkspace()->interventions().describe(), std::string("L0H1 zeroed, L2H0 T=2"));
        QVERIFY(again.explorer().run().name.contains("intervened: L0H1 zeroed, L2H0 T=2"));
        const Vector& now = again.explorer().run().result->logits;
        QVERIFY(std::equal(logits.begin(), logits.end(), now.data()));
        widgets::SourceChooser* chooser = again.explorerPage()->sourceChooser();
        QCOMPARE(chooser->source(), QString("alti"));
        chooser->controls()->job().wait();
        const widgets::SourceMaps* maps = again.explorer().sourceMaps();
        QVERIFY(maps && maps->method == AttributionMethod::Alti && maps->of == again.explorer().run().result.get());
        QFile::remove(path);
    }
    void theCtOverlayFollowsTheSource()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(w.openDemo(kindNamed("CT").demo()));
        QVERIFY(waitForRun(w));
        auto& ct = *static_cast<kinds::CtWorkspace*>(w.workspace("CT"));
        ct.overlayJob().wait();
        QVERIFY(ct.volumeState().overlay());
        const QString before = ct.volumeState().overlayLabel();
        const std::vector<float> attention = ct.volumeState().overlayNumbers()->values;
        computeSource(w, "alti");
        widgets::SourceChooser* chooser = w.explorerPage()->sourceChooser();
        QVERIFY(w.explorer().sourceMaps());
        ct.overlayJob().wait();
        QVERIFY2(ct.volumeState().overlayLabel().contains("alti"), qPrintable(ct.volumeState().overlayLabel()));
        QVERIFY(ct.volumeState().overlayNumbers()->values != attention);
        chooser->controls()->choiceBox()->setCurrentText("attention");
        ct.overlayJob().wait();
        QCOMPARE(ct.volumeState().overlayLabel(), before);
        QCOMPARE(ct.volumeState().overlayNumbers()->values, attention);
        // an intervened run's overlay: the slices' and the 3D view's titles say so, as every other view's do
        auto* slice = w.findChild<widgets::SliceView*>();
        QVERIFY(slice && !slice->figureTitle().contains("intervened"));
        w.shownWorkspace()->setInterventions(Interventions({parseHeadEdit("0,1:zero")}));
        QVERIFY(waitForRun(w));
        ct.overlayJob().wait();
        QVERIFY2(slice->figureTitle().contains("[intervened: L0H1 zeroed]"), qPrintable(slice->figureTitle()));
        QVERIFY(w.findChild<widgets::VolumeRenderView*>()->figureTitle().contains("[intervened: L0H1 zeroed]"));
        QVERIFY(ct.volumeState().overlayNumbers()->values != attention);
    }
    void anInterventionsPredictionLineHasTheDiceWithTheReference()
    {
        // the UNETR demo (air, soft tissue, bone by HU) with a reference of the study's bone (>= 300 HU) open:
        // the changed run's line gives the Dice of the best-matching label (bone) with it, before and after,
        // the same as the labels each run shows
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(w.openDemo(kindNamed("CT").demos().at(1)));
        QVERIFY(waitForRun(w));
        auto& ct = *static_cast<kinds::CtWorkspace*>(w.workspace("CT"));
        Volume bone = *ct.volumeState().volume();
        for (float& v : bone.values)
            v = v >= 300.0f ? 1.0f : 0.0f;
        const QString mask = tmp_.path() + "/bone.nii.gz";
        writeNifti(mask.toStdString(), bone, true);
        ct.openReference(mask);
        ct.referenceJob().wait();
        QVERIFY(ct.reference());
        const auto dice = [&bone](const Volume& labels) {
            double both = 0, sum = 0;
            for (std::size_t v = 0; v < bone.values.size(); ++v) {
                const bool a = labels.values[v] == 2.0f, b = bone.values[v] > 0.5f;
                both += a && b, sum += a + b;
            }
            return 2 * both / sum;
        };
        const double original = dice(*ct.volumeState().labels());
        w.shownWorkspace()->setInterventions(Interventions({parseHeadEdit("0,0:zero"), parseHeadEdit("1,1:uniform")}));
        QVERIFY(waitForRun(w));
        const auto& details = w.explorer().run().comparison->details;
        QVERIFY(details.count("Dice of bone with the reference original"));
        QVERIFY(std::abs(details.at("Dice of bone with the reference original") - original) < 1e-12);
        QVERIFY(std::abs(details.at("Dice of bone with the reference intervened") - dice(*ct.volumeState().labels())) < 1e-12);
        qInfo("Dice of bone with the reference: original %.4f, intervened %.4f", original, details.at("Dice of bone with the reference intervened"));
        QVERIFY(original > 0.1);
    }
    void enrichmentRunsTheShownInputWithItsAnnotations()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(w.openDemo(kindNamed("DNA").demo())); // the splice demo: record 4 (ei) first
        QVERIFY(waitForRun(w));
        const QString bed = tmp_.path() + "/junction.bed";
        writeText(bed.toStdString(), "4\t28\t32\n"); // the four bases around the exon-intron junction
        auto* view = w.findChild<app::EnrichmentView*>();
        QVERIFY(view);
        w.findChild<QTabWidget*>("centreTabs")->setCurrentWidget(view);
        view->pathField()->setText(bed);
        view->thresholdBox()->setValue(0.1); // one record: at 0.3 no head has 100 confident weights
        view->compute();
        QVERIFY(view->job().isRunning());
        view->job().wait();
        QCOMPARE(view->heads().size(), std::size_t{12});
        // the same as the core's pipeline on the same record (what attnscope-cli enrichment does)
        const kinds::Kind& dna = kindNamed("DNA");
        std::vector<HeadEnrichment> expected;
        try {
            const auto run = dna.run(w.document().model(), *w.shownWorkspace()->inputChoice(), {});
            EnrichmentOptions options;
            options.threshold = 0.1f;
            expected = headEnrichment({{&run->data.result->attention, dna.annotations(*run, dna.annotationChoices(bed.toStdString()).front().request)}},
                                      options, nullptr);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(view->heads()[i].share, expected[i].share);
            QCOMPARE(view->heads()[i].count, expected[i].count);
            QCOMPARE(view->heads()[i].q.has_value(), expected[i].q.has_value());
        }
        QCOMPARE(view->figureData().rows.size(), 12);
        // one thing to mark: no chooser
        QVERIFY(view->marksBox()->isHidden());
    }
    void enrichmentOfAStructuresBindingSites()
    {
        // the protein demo; a structure marks its contacts or its binding sites, chosen beside the file
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(w.openDemo(kindNamed("Protein").demo()));
        QVERIFY(waitForRun(w));
        auto* view = w.findChild<app::EnrichmentView*>();
        w.findChild<QTabWidget*>("centreTabs")->setCurrentWidget(view);
        const std::string structure = (dataDir() / "structure/1A0J_A_sites.pdb.gz").string();
        view->pathField()->setText(QString::fromStdString(structure));
        QCOMPARE(view->marksBox()->count(), 2);
        QVERIFY(!view->marksBox()->isHidden());
        QCOMPARE(view->marksBox()->itemText(1), QString("binding sites"));
        view->marksBox()->setCurrentIndex(1);
        view->thresholdBox()->setValue(0.1);
        view->compute();
        view->job().wait();
        QVERIFY(!view->heads().empty());
        QVERIFY2(view->figureTitle().contains("1A0J_A_sites.pdb.gz (binding sites)"), qPrintable(view->figureTitle()));
        const kinds::Kind& proteins = kindNamed("Protein");
        const auto choices = proteins.annotationChoices(structure);
        QVERIFY(choices[1].request.bindingSites && !choices[0].request.bindingSites);
        std::vector<HeadEnrichment> expected;
        try {
            const auto run = proteins.run(w.document().model(), *w.shownWorkspace()->inputChoice(), {});
            EnrichmentOptions options;
            options.threshold = 0.1f;
            expected = headEnrichment({{&run->data.result->attention, proteins.annotations(*run, choices[1].request)}}, options, nullptr);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        QCOMPARE(view->heads().size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i)
            QCOMPARE(view->heads()[i].share, expected[i].share);
        if (const QByteArray dir = qgetenv("ATTNSCOPE_SHOTS"); !dir.isEmpty())
            w.grab().save(QString::fromUtf8(dir) + "/enrichment-sites-1280.png");
        // a file that is not a structure is a residue list, the chooser hidden
        view->pathField()->setText(QString::fromStdString((dataDir() / "msa/PROVENANCE.md").string()));
        QCOMPARE(view->marksBox()->count(), 1);
        QVERIFY(view->marksBox()->isHidden());
        QCOMPARE(proteins.annotationChoices((dataDir() / "msa/PROVENANCE.md").string()).front().request.file,
                 (dataDir() / "msa/PROVENANCE.md").string());
    }
    void enrichmentOfAPatientsCodePairs()
    {
        // the EHR demo with the planted link (warfarin, then the INR), as code pairs
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(w.openDemo(kindNamed("EHR").demo()));
        QVERIFY(waitForRun(w));
        auto* view = w.findChild<app::EnrichmentView*>();
        w.findChild<QTabWidget*>("centreTabs")->setCurrentWidget(view);
        const QString pairs = tmp_.path() + "/pairs.tsv";
        writeText(pairs.toStdString(), "RXNORM/855332\tLOINC/6301-6\n");
        view->pathField()->setText(pairs);
        view->thresholdBox()->setValue(0.3);
        view->compute();
        view->job().wait();
        QCOMPARE(view->heads().size(), std::size_t{8}); // the EHR demo model: 2 layers of 4 heads
        QVERIFY(view->figureTitle().contains("pairs.tsv"));
        const QImage shot = w.grab().toImage();
        QVERIFY(!shot.isNull());
        if (const QByteArray dir = qgetenv("ATTNSCOPE_SHOTS"); !dir.isEmpty())
            shot.save(QString::fromUtf8(dir) + "/enrichment-1280.png");
    }
    void editsThatDoNotFitAreRefusedAndAnotherModelForgetsThem()
    {
        MainWindow w;
        QVERIFY(openAndWait(w, golden("preln_gelu"))); // 3 layers of 4 heads
        QVERIFY(openAndWait(w, golden("cli") + "/input.fa"));
        QVERIFY(waitForRun(w));
        kinds::Workspace& dna = *w.workspace("DNA");
        dna.setInterventions(Interventions({parseHeadEdit("3,0:zero")}));
        QVERIFY2(w.lastError().contains("the model has 3 layers"), qPrintable(w.lastError()));
        QVERIFY(dna.interventions().empty());
        QCOMPARE(w.explorer().run().name, QString("rec1")); // what was shown stays
        dna.setInterventions(Interventions({parseHeadEdit("1,2:uniform")}));
        QVERIFY(waitForRun(w));
        QVERIFY(w.explorer().run().name.contains("L1H2 uniform"));
        QVERIFY(openAndWait(w, golden("cli"))); // another model: its heads are not the ones changed
        QVERIFY(dna.interventions().empty());
    }
};

QTEST_MAIN(TestEvidenceWindow)
#include "TestEvidenceWindow.moc"
