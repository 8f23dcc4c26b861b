// The protein kind in the window: the demo opens its alignment, its structure and its model and
// runs; the views are linked (a residue click selects its token and colours the structure, a
// contact pair marks its columns and residues, a column shows its column attention); a broken
// structure leaves what was open; a structure alone opens as its chain's sequence.

#include "common/RunComputation.h"
#include "common/SourceChooser.h"
#include "contacts/ContactMapView.h"
#include "gui/ExplorerPage.h"
#include "map/AttentionMapView.h"
#include "gui/MainWindow.h"
#include "attention/HeadEdits.h"
#include "interpret/Attributions.h"
#include "interpret/Predictor.h"
#include "model/layers/ContactHead.h"
#include "kinds/KindRegistry.h"
#include "kinds/protein/ProteinKind.h"
#include "kinds/protein/ProteinWorkspace.h"

#include "AppTestSupport.h"
#include "TestSupport.h"

#include <QComboBox>
#include <QLabel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

using namespace attn;
using namespace attn::test;
using attn::app::MainWindow;

namespace {

kinds::ProteinWorkspace& proteinWorkspace(MainWindow& w)
{
    return workspaceOf<kinds::ProteinWorkspace>(w, "Protein");
}

const kinds::Kind& proteinKind()
{
    return kindNamed("Protein");
}

} // namespace

class TestProteinWorkspace : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void initTestCase() { useTestSettings("attnscope-protein"); }
    void theDemoOpensWithItsStructureAndTheViewsAreLinked()
    {
        MainWindow w;
        QVERIFY(w.openDemo(proteinKind().demo()));
        QVERIFY(waitForRun(w));
        kinds::ProteinWorkspace& p = proteinWorkspace(w);
        QVERIFY(p.structure());
        QCOMPARE(p.structure()->contacts.withCoordinates, std::size_t{223});
        QCOMPARE(p.chain()->currentText(), QString("A"));
        QVERIFY(!p.maxSequences()->isHidden());
        QVERIFY(p.dataSummaryHtml().contains("223 of 223 query residues have coordinates"));
        kinds::ProteinViews& v = p.views();
        QVERIFY(v.contactMap()->precision().has_value()); // the contact head against the structure
        QCOMPARE(v.contactMap()->predicted().rows(), Index{223});
        QCOMPARE(v.structure()->contacts().size(), std::size_t{223 / 5});

        // a residue of the query: its token, its row attention on the tube
        const int column = static_cast<int>(p.msa().queryColumns()[10]);
        QTest::mouseClick(v.alignment()->viewport(), Qt::LeftButton, {}, v.alignment()->cellRect(0, column).center());
        QCOMPARE(w.explorer().token(), column + 1);
        QVERIFY(v.structure()->legend().values.contains("attention from"));
        QCOMPARE(v.structure()->values().size(), std::size_t{223});
        QCOMPARE(v.columnAttention()->shown().rows(), Index{64}); // the sequences the model saw
        v.tubeSource()->setCurrentIndex(1); // no rollout for an MSA Transformer: its item is disabled
        QCOMPARE(v.tubeSource()->currentIndex(), 0);
        QVERIFY(v.structure()->legend().values.contains("attention from"));

        // a contact pair: its two columns in the alignment, its residues in 3D
        emit v.contactMap()->pairClicked(3, 40);
        const auto& q = p.msa().queryColumns();
        QCOMPARE(v.alignment()->highlightedColumns(), (std::vector<int>{static_cast<int>(q[3]), static_cast<int>(q[40])}));
        QCOMPARE(v.structure()->highlighted(), (std::vector<int>{3, 40}));

        // the baseline as the predictor: its precision is the contacts command's
        v.contactSource()->setCurrentIndex(2);
        QVERIFY(std::abs(v.contactMap()->precision()->longAtL() - 0.16592) < 1.0 / 223 + 1e-4);

        // a broken structure costs nothing
        const auto run = w.explorer().run().result;
        const QString broken = tmp_.path() + "/broken.pdb";
        writeText(broken.toStdString(), "HEADER    BROKEN\nATOM      1  CA  ALA A   1     not a number\n");
        QVERIFY(proteinKind().accepts(broken.toStdString()));
        QVERIFY(!openAndWait(w, broken)); // read in the background: the error comes when it fails
        QVERIFY2(w.lastError().contains("broken.pdb"), qPrintable(w.lastError()));
        QCOMPARE(p.structure()->contacts.withCoordinates, std::size_t{223});
        QCOMPARE(w.explorer().run().result, run);
        QCOMPARE(p.msa().sequences(), std::size_t{189});

        // another structure beside the alignment: read in the background, the run stays
        QVERIFY(openAndWait(w, QString::fromStdString((dataDir() / "structure/1A0J_A.cif.gz").string())));
        QVERIFY(p.dataSummaryHtml().contains("1A0J_A.cif.gz"));
        QCOMPARE(w.explorer().run().result, run);
        QVERIFY(!p.runJob().isRunning());
        QCOMPARE(p.msa().sequences(), std::size_t{189});
    }
    void aStructureAloneOpensAsItsChainsSequence()
    {
        MainWindow w;
        QVERIFY(w.openPath(QString::fromStdString((resourcesDir() / "models/protein_esm").string())));
        QVERIFY(w.openPath(QString::fromStdString((dataDir() / "structure/1A0J_A.cif.gz").string())));
        QVERIFY(waitForRun(w));
        kinds::ProteinWorkspace& p = proteinWorkspace(w);
        QCOMPARE(p.msa().sequences(), std::size_t{1});
        QCOMPARE(p.msa().columns(), std::size_t{223});
        QVERIFY(p.maxSequences()->isHidden()); // ESM runs on the query alone
        QVERIFY(p.structure());
        QCOMPARE(w.explorer().run().length(), 225); // ESM: <cls> + 223 + <eos>
        QVERIFY(p.views().contactMap()->precision().has_value());
        QVERIFY(p.views().columnAttention()->shown().size() == 0); // ESM has none
        p.views().tubeSource()->setCurrentIndex(1); // ESM's one token axis has a rollout
        QVERIFY2(p.views().structure()->legend().values.startsWith("rollout from <cls>"), qPrintable(p.views().structure()->legend().values));
        QCOMPARE(p.views().structure()->values().size(), std::size_t{223});
    }
    void theContactMapsSelectedHeadFollowsTheSource()
    {
        // ESM on 1A0J's chain: with ALTI chosen in the map's Source box, "selected head" is the layer's ALTI
        // map, symmetrised and APC-corrected as a head's is, and its precision is measured against the structure
        MainWindow w;
        QVERIFY(w.openPath(QString::fromStdString((resourcesDir() / "models/protein_esm").string())));
        QVERIFY(w.openPath(QString::fromStdString((dataDir() / "structure/1A0J_A.cif.gz").string())));
        QVERIFY(waitForRun(w));
        widgets::ContactMapView* map = proteinWorkspace(w).views().contactMap();
        map->setSource(widgets::ContactSource::SelectedHead);
        w.explorer().select(1, 0);
        const Matrix head = map->predicted();
        computeSource(w, "alti");
        widgets::SourceChooser* chooser = w.explorerPage()->sourceChooser();
        QVERIFY(w.explorer().sourceMaps());
        const std::vector<LayerAttribution> layers = decomposeRun(*w.explorer().run().predictor, Interventions{}, AttributionMethod::Alti, nullptr);
        const Matrix expected = headContactMap(methodStore(layers, AttributionMethod::Alti), 1, 0, 1, 223);
        QCOMPARE(map->predicted().rows(), Index{223});
        QVERIFY((map->predicted() - expected).cwiseAbs().maxCoeff() < 1e-6f);
        QVERIFY(map->predicted() != head);
        QVERIFY(map->precision().has_value());
        const QString legend = proteinWorkspace(w).views().structure()->legend().values; // the tube follows too
        QVERIFY2(legend.contains("alti received (mean over residues), layer 1 (heads combined)"), qPrintable(legend));
        chooser->controls()->choiceBox()->setCurrentText("attention");
        QVERIFY(map->predicted() == head);
    }
    void theMsaTransformersQueryRowIsDecomposedInTheWindow()
    {
        // the MSA Transformer on the trypsin alignment with 1A0J open: ALTI of the query row through the
        // tied row attention fills the map and the contact map's "selected head", its parts adding up
        MainWindow w;
        QVERIFY(w.openPath(QString::fromStdString((resourcesDir() / "models/protein_msa").string())));
        QVERIFY(w.openPath(QString::fromStdString((dataDir() / "msa/tryps.a2m.gz").string())));
        QVERIFY(waitForRun(w));
        QVERIFY(openAndWait(w, QString::fromStdString((dataDir() / "structure/1A0J_A.cif.gz").string())));
        widgets::ContactMapView* map = proteinWorkspace(w).views().contactMap();
        map->setSource(widgets::ContactSource::SelectedHead);
        w.explorer().select(1, 0);
        const Matrix head = map->predicted();
        QVERIFY(map->precision().has_value());
        computeSource(w, "alti");
        const widgets::SourceMaps* maps = w.explorer().sourceMaps();
        QVERIFY(maps && maps->method == AttributionMethod::Alti);
        QCOMPARE(static_cast<int>(maps->reconstructionErrors.size()), w.explorer().run().layers());
        for (double e : maps->reconstructionErrors)
            QVERIFY2(e < 1e-5, qPrintable(QString::number(e)));
        QVERIFY2(w.explorerPage()->mapView()->figureTitle().contains("alti, layer 1"), qPrintable(w.explorerPage()->mapView()->figureTitle()));
        QCOMPARE(map->predicted().rows(), head.rows());
        QVERIFY(map->predicted() != head);
        QVERIFY(map->precision().has_value());
    }
    void aStructureOpenedAfterAChangedRunMeasuresItAgain()
    {
        // heads changed, then a structure opened: the run is made again and judged by the contact head against it
        MainWindow w;
        QVERIFY(w.openPath(QString::fromStdString((resourcesDir() / "models/protein_esm").string())));
        QVERIFY(w.openPath(QString::fromStdString((dataDir() / "msa/tryps.a2m.gz").string())));
        QVERIFY(waitForRun(w));
        w.shownWorkspace()->setInterventions(Interventions({parseHeadEdit("1,0:zero")}));
        QVERIFY(waitForRun(w));
        QCOMPARE(w.explorer().run().comparison->metric, logLikelihoodMetric()->name());
        QVERIFY(openAndWait(w, QString::fromStdString((dataDir() / "structure/1A0J_A.cif.gz").string())));
        QVERIFY(waitForRun(w));
        QCOMPARE(w.explorer().run().comparison->metric, std::string("drop of the contact head's long-range P@L against the structure"));
        QVERIFY(w.explorer().run().name.contains("intervened: L1H0 zeroed"));
    }
    void anInterventionsPredictionLineHasTheContactPrecision()
    {
        // ESM on 1A0J's chain, a structure open: the run is judged by its contact head's long-range P@L against
        // the structure (the predictor's metric), before and after, the numbers the contact map shows for each run
        MainWindow w;
        QVERIFY(w.openPath(QString::fromStdString((resourcesDir() / "models/protein_esm").string())));
        QVERIFY(w.openPath(QString::fromStdString((dataDir() / "structure/1A0J_A.cif.gz").string())));
        QVERIFY(waitForRun(w));
        widgets::ContactMapView* map = proteinWorkspace(w).views().contactMap();
        map->setSource(widgets::ContactSource::ContactHead);
        QVERIFY(map->precision().has_value());
        const double original = map->precision()->longAtL();
        w.shownWorkspace()->setInterventions(Interventions({parseHeadEdit("1,0:zero"), parseHeadEdit("0,2:uniform")}));
        QVERIFY(waitForRun(w));
        const auto& comparison = w.explorer().run().comparison;
        QVERIFY(comparison);
        QCOMPARE(comparison->metric, std::string("drop of the contact head's long-range P@L against the structure"));
        QCOMPARE(comparison->details.at("long_range_precision_original"), original);
        QVERIFY(map->precision().has_value());
        QCOMPARE(comparison->details.at("long_range_precision_changed"), map->precision()->longAtL());
        QCOMPARE(comparison->change, original - map->precision()->longAtL());
        const QString line = w.findChild<QLabel*>("prediction")->text();
        QVERIFY2(line.contains("long range precision original") && line.contains("long range precision changed"), qPrintable(line));
    }
    void aFairEsmFileOpensAsAModelAndRuns()
    {
        MainWindow w;
        const QString file = QString::fromStdString((dataDir() / "checkpoints/fairesm/esm2_t2_small.pt").string());
        QVERIFY(w.openPath(file)); // recognised as a model, not as data
        QCOMPARE(w.document().model()->family(), std::string("esm"));
        QCOMPARE(w.document().modelPath(), file);
        QVERIFY(w.openPath(QString::fromStdString((goldenDir("proteins") / "esm_small/input.fasta").string())));
        QVERIFY(waitForRun(w));
        QCOMPARE(w.explorer().run().length(), static_cast<Index>(proteinWorkspace(w).msa().columns()) + 2);
        QVERIFY(proteinWorkspace(w).views().contactMap()->isEnabled());
        const QString hostile = QString::fromStdString((dataDir() / "checkpoints/hostile/model.pt").string());
        QVERIFY(!w.openPath(hostile)); // refused by name; the open model stays
        QVERIFY2(w.lastError().contains("refuses the pickled global 'posix.system'"), qPrintable(w.lastError()));
        QCOMPARE(w.document().modelPath(), file);
    }
};

QTEST_MAIN(TestProteinWorkspace)
#include "TestProteinWorkspace.moc"
