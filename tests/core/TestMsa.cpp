// Alignments: every format read as another program (Biopython, ESM's A3M rule; see
// tools/make_msa_expected.py) reads it; the A3M details HH-suite files carry; a table of malformed
// files, each refused with the file, the line and the problem; sequence weights; subsampling.

#include "msa/MsaReader.h"
#include "msa/SequenceWeights.h"
#include "msa/Subsample.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <set>
#include <zlib.h>

using namespace attn;
using namespace attn::test;

namespace {

std::filesystem::path msaDir() { return dataDir() / "msa"; }

std::string fnv1a(const std::string& text)
{
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (unsigned char b : text)
        h = (h ^ b) * 0x100000001B3ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

} // namespace

class TestMsa : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::filesystem::path file(const std::string& name) const { return std::filesystem::path(tmp_.path().toStdString()) / name; }

private slots:
    void readsAsAnotherProgramDoes_data()
    {
        QTest::addColumn<QString>("name");
        const auto expected = nlohmann::json::parse(readText(msaDir() / "expected.json"));
        for (const auto& [name, value] : expected.items())
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
    void readsAsAnotherProgramDoes()
    {
        QFETCH(QString, name);
        const auto e = nlohmann::json::parse(readText(msaDir() / "expected.json")).at(name.toStdString());
        const Msa msa = readMsa(msaDir() / name.toStdString());
        QCOMPARE(msaFormatName(msa.format), e.at("format").get<std::string>());
        QCOMPARE(msa.sequences(), e.at("sequences").get<std::size_t>());
        QCOMPARE(msa.columns(), e.at("columns").get<std::size_t>());
        QCOMPARE(msa.queryName(), e.at("query").get<std::string>());
        QCOMPARE(msa.rows.front().residues, e.at("first").get<std::string>());
        QCOMPARE(msa.rows.back().name.substr(0, e.at("last_name").get<std::string>().size()), e.at("last_name").get<std::string>());
        QCOMPARE(msa.insertionsRemoved, e.at("insertions_removed").get<std::size_t>());
        for (std::size_t i = 0; i < msa.sequences(); ++i)
            QCOMPARE(fnv1a(msa.rows[i].residues), e.at("row_hashes").at(i).get<std::string>());
        QVERIFY(std::abs(msa.gapFraction() - e.at("gap_fraction").get<double>()) < 1e-12);
        const double neff = effectiveSequences(sequenceWeights(msa, 0.8));
        QVERIFY2(std::abs(neff - e.at("neff").get<double>()) < 1e-9, qPrintable(QString::number(neff)));
        QCOMPARE(subsampleRows(msa, 16, SubsampleMode::Diverse), e.at("diverse_16").get<std::vector<std::size_t>>());
        if (e.contains("column_annotations"))
            for (const auto& [tag, chars] : e.at("column_annotations").items())
                QCOMPARE(msa.columnAnnotations.at(tag), chars.get<std::string>());
    }
    void stockholmKeepsSequenceAnnotations()
    {
        const Msa msa = readMsa(msaDir() / "Pkinase.sto");
        QCOMPARE(msa.columnAnnotations.at("SS_cons").size(), msa.columns());
        const auto pim = std::find_if(msa.rows.begin(), msa.rows.end(), [](const MsaRow& r) { return r.name == "PIM1_HUMAN/129-381"; });
        QVERIFY(pim != msa.rows.end());
        QVERIFY(pim->text.at("DR").find("PDB;") != std::string::npos); // 119 #=GS DR lines, joined
        QVERIFY(!pim->perColumn.empty());
        for (const auto& [tag, chars] : pim->perColumn)
            QCOMPARE(chars.size(), msa.columns());
    }
    void a3mDetailsOfHhSuiteFiles()
    {
        // '#' lines and the ss_pred / Consensus records are not sequences; an empty name is allowed;
        // lowercase insertions and '.' go; CRLF line ends and wrapped rows are read
        writeText(file("x.a3m"), "#3 1\r\n>ss_pred\r\nCCHH\r\n>query  a protein\r\nACDEF\r\nG\r\n>Consensus\r\nxxxxxx\r\n"
                                 ">s1\r\nAC-efgEFG\r\n>\r\nA.CDEFGg\r\n");
        const Msa msa = readMsa(file("x.a3m"));
        QCOMPARE(msaFormatName(msa.format), std::string("a3m"));
        QCOMPARE(msa.sequences(), std::size_t{3});
        QCOMPARE(msa.queryName(), std::string("query"));
        QCOMPARE(msa.rows[0].name, std::string("query  a protein"));
        QCOMPARE(msa.rows[1].residues, std::string("AC-EFG"));
        QCOMPARE(msa.rows[2].name, std::string(""));
        QCOMPARE(msa.rows[2].residues, std::string("ACDEFG"));
        QCOMPARE(msa.rows[1].line, 9);
        QCOMPARE(msa.insertionsRemoved, std::size_t{5});
    }
    void gzippedFilesAreReadByContent()
    {
        const std::string text = "# STOCKHOLM 1.0\na ACD.E\nb AC-GE\n//\n";
        gzFile gz = gzopen(file("plain-name.txt").c_str(), "wb");
        gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
        gzclose(gz);
        const Msa msa = readMsa(file("plain-name.txt"));
        QCOMPARE(msaFormatName(msa.format), std::string("stockholm"));
        QCOMPARE(msa.rows[0].residues, std::string("ACD-E")); // no lowercase: '.' is a gap
    }
    void malformedFilesAreRefusedWithFileAndLine_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray("\n\n") << "bad.msa:1: no sequences (the file is empty)";
        QTest::newRow("only # lines") << QByteArray("#1 1\n") << "bad.msa:1: no sequences";
        QTest::newRow("unaligned FASTA") << QByteArray(">a\nACDE\n>b\nACD\n")
                                         << "bad.msa:3: rows of different lengths: 'b' has 3 aligned columns, the query (line 1) has 4";
        QTest::newRow("A3M row short of match columns") << QByteArray(">a\nACDE\n>b\nACdDx\n")
                                                        << "bad.msa:3: rows of different lengths: 'b' has 3 aligned columns";
        QTest::newRow("a digit in a row") << QByteArray(">a\nAC1E\n") << "bad.msa:2: '1' is not a residue letter, '-' or '.'";
        QTest::newRow("a control byte") << QByteArray(">a\nAC\x01" "E\n") << "bad.msa:2: 'byte 1' is not a residue letter";
        QTest::newRow("NUL bytes") << QByteArray(">a\nAC\0E\n", 7) << "bad.msa: not a text file (it holds NUL bytes)";
        QTest::newRow("letters before a header") << QByteArray("ACDE\n>a\nACDE\n") << "bad.msa:1: not an alignment: expected A3M";
        QTest::newRow("a record without residues") << QByteArray(">a\nACDE\n>b\n>c\nACDE\n") << "bad.msa:3: sequence 'b' has no residues";
        QTest::newRow("only insertions") << QByteArray(">a\nacde\n") << "bad.msa:1: the query has no aligned columns";
        QTest::newRow("HMMER profile") << QByteArray("HMMER3/f [3.3.2 | Nov 2020]\nNAME  fn3\n") << "bad.msa:1: an HMM profile, not an alignment";
        QTest::newRow("HH-suite profile") << QByteArray("HHsearch 1.5\nNAME  x\n") << "bad.msa:1: an HMM profile";
        QTest::newRow("a PDB file") << QByteArray("HEADER    HYDROLASE\nATOM      1  N   ILE A  16\n") << "bad.msa:1: not an alignment";
        QTest::newRow("Stockholm cut short") << QByteArray("# STOCKHOLM 1.0\na ACDE\nb ACDE\n") << "bad.msa:3: no '//' line ends the alignment";
        QTest::newRow("Stockholm rows differ") << QByteArray("# STOCKHOLM 1.0\na ACDE\nb ACD\n//\n") << "bad.msa:3: rows of different lengths";
        QTest::newRow("Stockholm name twice in a block") << QByteArray("# STOCKHOLM 1.0\na ACDE\na ACDE\n//\n")
                                                          << "bad.msa:3: sequence 'a' appears twice in one block";
        QTest::newRow("Stockholm #=GR of no sequence") << QByteArray("# STOCKHOLM 1.0\na ACDE\n#=GR z SS HHHH\n//\n")
                                                        << "bad.msa:3: #=GR annotation of 'z', which is not a sequence";
        QTest::newRow("Stockholm #=GC too short") << QByteArray("# STOCKHOLM 1.0\na ACDE\n#=GC SS_cons HH\n//\n")
                                                   << "bad.msa:2: #=GC SS_cons has 2 characters for 4 columns";
        QTest::newRow("Stockholm #=GS without a tag") << QByteArray("# STOCKHOLM 1.0\n#=GS a\na ACDE\n//\n")
                                                       << "bad.msa:2: a #=GS line needs a sequence name and a tag";
        QTest::newRow("Clustal name only") << QByteArray("CLUSTAL W\n\na ACDE\nb\n") << "bad.msa:4: a sequence line needs a name and residues";
        QTest::newRow("Clustal extra words") << QByteArray("CLUSTAL W\n\na ACDE 4 x\n") << "bad.msa:3: a sequence line is a name, residues and an optional count";
        QTest::newRow("Clustal blocks differ") << QByteArray("CLUSTAL W\n\na AC\nb AC\n\na DE\n") << "bad.msa:4: rows of different lengths";
        QTest::newRow("Clustal header only") << QByteArray("CLUSTAL W (1.83) multiple sequence alignment\n") << "bad.msa:1: no sequences";
        QTest::newRow("gzip cut short") << QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x4b\x4c", 12) << "bad.msa: not a readable gzip file (cut short)";
    }
    void malformedFilesAreRefusedWithFileAndLine()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        writeText(file("bad.msa"), content.toStdString());
        const auto thrown = thrownMessage<FormatError>([&] { (void)readMsa(file("bad.msa")); });
        QVERIFY2(thrown, "no FormatError");
        const std::string expected = tmp_.path().toStdString() + "/" + message.toStdString();
        QVERIFY2(thrown->find(expected) == 0, thrown->c_str());
    }
    void weightsCountNeighboursAtEightyPercent()
    {
        Msa msa;
        for (const char* r : {"ACDEFGHIKL", "ACDEFGHIKM", "ACDEFGHIMM", "WWWWWWWWWW"})
            msa.rows.push_back(MsaRow{"", r, 0, {}, {}});
        // rows 0-1 and 1-2 are 90 % identical, 0-2 80 % (still neighbours: >= 80 %), row 3 alone
        const std::vector<double> w = sequenceWeights(msa, 0.8);
        QCOMPARE(w, (std::vector<double>{1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0}));
        QCOMPARE(effectiveSequences(w), 2.0);
        QCOMPARE(sequenceWeights(msa, 0.85), (std::vector<double>{0.5, 1.0 / 3, 0.5, 1.0}));
    }
    void subsamplingKeepsTheQueryAndTheOrder()
    {
        const Msa msa = readMsa(msaDir() / "tryps.a2m.gz");
        QCOMPARE(subsampleRows(msa, 5, SubsampleMode::First), (std::vector<std::size_t>{0, 1, 2, 3, 4}));
        QCOMPARE(subsampleRows(msa, 500, SubsampleMode::Diverse).size(), msa.sequences()); // all when there are fewer
        const auto a = subsampleRows(msa, 32, SubsampleMode::Random, 1);
        QCOMPARE(a.size(), std::size_t{32});
        QCOMPARE(a.front(), std::size_t{0});
        QVERIFY(std::is_sorted(a.begin(), a.end()));
        QCOMPARE(std::set<std::size_t>(a.begin(), a.end()).size(), a.size());
        QCOMPARE(subsampleRows(msa, 32, SubsampleMode::Random, 1), a); // the same seed, the same rows
        QVERIFY(subsampleRows(msa, 32, SubsampleMode::Random, 2) != a);
        const Msa picked = selectRows(msa, a);
        QCOMPARE(picked.sequences(), std::size_t{32});
        QCOMPARE(picked.rows[5].residues, msa.rows[a[5]].residues);
        QCOMPARE(parseSubsampleMode("diverse"), SubsampleMode::Diverse);
        QVERIFY(thrownMessage<Error>([] { (void)parseSubsampleMode("best"); }).has_value());
    }
};

QTEST_GUILESS_MAIN(TestMsa)
#include "TestMsa.moc"
