// Structures through gemmi: a trypsin in PDB and mmCIF (gzipped) read as Biopython reads it
// (tools/make_structure_expected.py); alternative locations, selenomethionine, insertion codes,
// missing atoms; the query mapped onto the chain; true contacts and the baseline's precision;
// files that are not structures refused with their name.

#include "interpret/Coevolution.h"
#include "interpret/Contacts.h"
#include "msa/MsaReader.h"
#include "structure/ProteinStructure.h"
#include "structure/QueryMapping.h"
#include "util/Error.h"

#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace attn;
using namespace attn::test;

namespace {

std::filesystem::path structureDir() { return dataDir() / "structure"; }

/// A chain written by hand: Met as MSE (HETATM), Gly, Ala with two locations (B more occupied),
/// Ala 52A without its Cbeta, a water.
const char* kSmallPdb =
    "HETATM    1  N   MSE A  50      10.000  10.000  10.000  1.00 20.00           N\n"
    "HETATM    2  CA  MSE A  50      11.000  10.000  10.000  1.00 20.00           C\n"
    "HETATM    3  CB  MSE A  50      11.500  11.000  10.000  1.00 20.00           C\n"
    "ATOM      4  N   GLY A  51      12.000  10.000  10.000  1.00 20.00           N\n"
    "ATOM      5  CA  GLY A  51      13.000  10.000  10.000  1.00 20.00           C\n"
    "ATOM      6  N  AALA A  52      14.000  10.000  10.000  0.40 20.00           N\n"
    "ATOM      7  N  BALA A  52      14.100  10.000  10.000  0.60 20.00           N\n"
    "ATOM      8  CA AALA A  52      15.000  10.000  10.000  0.40 20.00           C\n"
    "ATOM      9  CA BALA A  52      15.100  10.000  10.000  0.60 20.00           C\n"
    "ATOM     10  CB AALA A  52      15.500  11.000  10.000  0.40 20.00           C\n"
    "ATOM     11  CB BALA A  52      15.600  12.000  10.000  0.60 20.00           C\n"
    "ATOM     12  N   ALA A  52A     16.000  10.000  10.000  1.00 20.00           N\n"
    "ATOM     13  CA  ALA A  52A     17.000  10.000  10.000  1.00 20.00           C\n"
    "HETATM   14  O   HOH A 101      30.000  30.000  30.000  1.00 20.00           O\n"
    "END\n";

} // namespace

class TestStructure : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::filesystem::path file(const std::string& name) const { return std::filesystem::path(tmp_.path().toStdString()) / name; }

private slots:
    void readsATrypsinAsBiopythonDoes_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("PDB, gzipped") << "1A0J_A.pdb.gz";
        QTest::newRow("mmCIF written by Biopython, gzipped") << "1A0J_A.cif.gz";
    }
    void readsATrypsinAsBiopythonDoes()
    {
        QFETCH(QString, name);
        const auto e = nlohmann::json::parse(readText(structureDir() / "expected.json")).at(name.toStdString());
        const ProteinStructure s = readStructure(structureDir() / name.toStdString());
        const StructureChain& chain = s.chain(e.at("chain").get<std::string>());
        QCOMPARE(chain.residues.size(), e.at("residues").get<std::size_t>());
        QCOMPARE(chain.sequence(), e.at("sequence").get<std::string>());
        Eigen::Vector3d at;
        std::size_t without = 0;
        for (const StructureResidue& r : chain.residues)
            without += !r.contactAtom(at);
        QCOMPARE(without, e.at("without_contact_atom").get<std::size_t>());
        // the alignment's query is this chain: every residue placed, all identical
        const Msa msa = readMsa(dataDir() / "msa" / "tryps.a2m.gz");
        const QueryMapping m = mapQueryToChain(msa.rows.front().residues, chain);
        QCOMPARE(m.mapped, chain.residues.size());
        QCOMPARE(m.identical, chain.residues.size());
        QVERIFY(m.unmatched.empty());
        const Matrix truth = trueContacts(m, chain);
        for (ContactRange r : {ContactRange::Short, ContactRange::Medium, ContactRange::Long})
            QCOMPARE(countContacts(truth, r), e.at("true_contacts").at(contactRangeName(r)).get<std::size_t>());
        QVERIFY(truth.isApprox(truth.transpose()));
    }
    void bindingSitesFromSiteRecordsAndStructSiteGen_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("PDB SITE records") << "1A0J_A_sites.pdb.gz";
        QTest::newRow("mmCIF _struct_site_gen") << "1A0J_A_sites.cif.gz";
    }
    void bindingSitesFromSiteRecordsAndStructSiteGen()
    {
        // tools/make_site_structures.py: CAT (His57, Asp102, Ser195) and S1 (Asp189, Ser190,
        // Lys188A, Gly216, Gly226, a water); the water is left out, the insertion code kept
        QFETCH(QString, name);
        const ProteinStructure s = readStructure(structureDir() / name.toStdString());
        QVERIFY(s.sitesProblem.empty());
        QCOMPARE(s.siteNames(), (std::vector<std::string>{"CAT", "S1"}));
        QCOMPARE(s.siteResidues.size(), std::size_t{8});
        const StructureChain& chain = s.chain("A");
        std::vector<std::string> labels;
        for (std::size_t i : s.siteResidueIndices(chain))
            labels.push_back(chain.residues[i].label());
        QCOMPARE(labels, (std::vector<std::string>{"HIS 57", "ASP 102", "LYS 188A", "ASP 189", "SER 190", "SER 195", "GLY 216", "GLY 226"}));
        // the atoms are the ones of the file without the records
        QCOMPARE(chain.sequence(), readStructure(structureDir() / "1A0J_A.pdb.gz").chain("A").sequence());
        QVERIFY(readStructure(structureDir() / "1A0J_A.pdb.gz").siteResidues.empty());
    }
    void aSiteRecordThatCannotBeReadIsNamedNotFatal()
    {
        std::string pdb = kSmallPdb;
        pdb.insert(0, "SITE     1 AC1  2 GLY A  51  ALA A  5x                                        \n"
                      "SITE     1 AC2  1 GLY B  51                                                   \n");
        writeText(file("badsite.pdb"), pdb);
        const ProteinStructure s = readStructure(file("badsite.pdb")); // the chain still reads
        QCOMPARE(s.chains.front().sequence(), std::string("MGAA"));
        QVERIFY2(s.sitesProblem.find("badsite.pdb: the SITE record on line 1") != std::string::npos, s.sitesProblem.c_str());
        QCOMPARE(s.siteResidues.size(), std::size_t{2}); // GLY A 51 and GLY B 51: another chain's residue matches nothing here
        QCOMPARE(s.siteResidueIndices(s.chains.front()), std::vector<std::size_t>{1});
    }
    void oldStyleColumns73To80AreIgnored()
    {
        // 1CHO_E holds "0018 N56" in columns 73-80 (an ID and a line number, as before PDB v3):
        // gemmi took "56" for a charge and refused the file; Biopython reads it
        const ProteinStructure s = readStructure(structureDir() / "1CHO_E.pdb.gz");
        const StructureChain& chain = s.chain("E");
        std::string row;
        const Msa msa = readMsa(dataDir() / "msa" / "tryps.a2m.gz");
        for (const MsaRow& r : msa.rows)
            if (r.name.rfind("1CHO_E", 0) == 0)
                for (char c : r.residues)
                    if (c != '-')
                        row += c;
        QCOMPARE(chain.sequence(), row); // the ungapped row is the chain's sequence (theseus' examples)
        QVERIFY(chain.residues.front().hasCa);
        QVERIFY((chain.residues.front().ca - Eigen::Vector3d(-9.965, -3.755, -5.072)).norm() < 1e-3);
        // a v3 charge in the same columns is read as before
        writeText(file("charged.pdb"), "ATOM      1  N   LYS A   1      11.104   6.134  -6.504  1.00  0.00           N1+\n"
                                       "ATOM      2  CA  LYS A   1      11.639   6.071  -5.147  1.00  0.00           C  \nEND\n");
        QCOMPARE(readStructure(file("charged.pdb")).chains.front().sequence(), std::string("K"));
    }
    void baselinePrecisionAsTheReference()
    {
        const auto e = nlohmann::json::parse(readText(structureDir() / "expected.json")).at("1A0J_A.pdb.gz");
        const Msa msa = readMsa(dataDir() / "msa" / "tryps.a2m.gz");
        const ProteinStructure s = readStructure(structureDir() / "1A0J_A.pdb.gz");
        const Matrix truth = trueContacts(mapQueryToChain(msa.rows.front().residues, s.chain("")), s.chain(""));
        const Matrix baseline = inQueryNumbering(miApcBaseline(msa), msa.queryColumns());
        const auto l = static_cast<std::size_t>(baseline.rows());
        QCOMPARE(l, std::size_t{223});
        for (ContactRange r : {ContactRange::Short, ContactRange::Medium, ContactRange::Long})
            for (const auto& [label, k] : {std::pair<std::string, std::size_t>{"P@L", l}, {"P@L/2", l / 2}, {"P@L/5", l / 5}}) {
                const double expected = e.at("baseline_precision").at(contactRangeName(r)).at(label).get<double>();
                const double p = precisionAt(baseline, truth, r, k);
                // float32 against float64 scores may swap a near tie at the cut: at most one pair
                QVERIFY2(std::abs(p - expected) <= 1.0 / static_cast<double>(k) + 1e-12,
                         qPrintable(QString("%1 %2: %3, reference %4").arg(contactRangeName(r).c_str(), label.c_str()).arg(p).arg(expected)));
            }
    }
    void alternativeLocationsSelenomethionineAndMissingAtoms()
    {
        writeText(file("small.pdb"), kSmallPdb);
        const ProteinStructure s = readStructure(file("small.pdb"));
        QCOMPARE(s.chains.size(), std::size_t{1});
        const StructureChain& c = s.chains.front();
        QCOMPARE(c.sequence(), std::string("MGAA")); // MSE read as MET; the water is not a residue
        QCOMPARE(c.residues[0].name, std::string("MET"));
        QVERIFY(std::abs(c.residues[2].cb.y() - 12.0) < 1e-6); // location B (occupancy 0.6), not A
        QCOMPARE(c.residues[3].label(), std::string("ALA 52A"));
        Eigen::Vector3d at;
        QVERIFY(c.residues[1].contactAtom(at) && std::abs(at.x() - 13.0) < 1e-6); // glycine: its Calpha
        QVERIFY(!c.residues[3].contactAtom(at));                                   // no Cbeta
        // a query with one residue the chain lacks (the W) maps the others
        const QueryMapping m = mapQueryToChain("M-GWAA", c);
        QCOMPARE(m.residue, (std::vector<int>{0, 1, -1, 2, 3}));
        QCOMPARE(m.unmatched, (std::vector<std::size_t>{2}));
        const Matrix truth = trueContacts(m, c);
        QCOMPARE(truth(0, 4), -1.0f); // Ala 52A has no Cbeta
        QCOMPARE(truth(2, 0), -1.0f); // the W has no residue
        QCOMPARE(truth(0, 1), 0.0f);  // under 6 apart: never a contact
    }
    void negativeResidueNumbersFoundByTheFuzzer()
    {
        // gemmi hashes residue numbers with a left shift, undefined for negative numbers before
        // C++20 (fuzz_structure's first finding): such files are valid and read as written
        writeText(file("negative.pdb"),
                  "ATOM      1  N   ALA A  -3      10.000  10.000  10.000  1.00 20.00           N\n"
                  "ATOM      2  CA  ALA A  -3      11.000  10.000  10.000  1.00 20.00           C\n"
                  "ATOM      3  CB  ALA A  -3      11.500  11.000  10.000  1.00 20.00           C\n"
                  "ATOM      4  N   GLY A  -2      12.000  10.000  10.000  1.00 20.00           N\n"
                  "ATOM      5  CA  GLY A  -2      13.000  10.000  10.000  1.00 20.00           C\n"
                  "END\n");
        const ProteinStructure s = readStructure(file("negative.pdb"));
        QCOMPARE(s.chains.front().sequence(), std::string("AG"));
        QCOMPARE(s.chains.front().residues[0].label(), std::string("ALA -3"));
    }
    void residueNumbersBeyondIntFoundByTheFuzzer()
    {
        // fuzz_structure (UBSan, 57 s into its long run): an mmCIF auth_seq_id of 62 digits
        // overflows inside gemmi's number parser (gemmi's code: the check is off for
        // StructureReader.cpp alone, and the number wraps). This file is then refused for a
        // mangled field further on, with the file named, as any unreadable structure is
        try {
            (void)readStructure(structureDir() / "fuzz/residue-number-beyond-int.cif");
            QFAIL("the mangled file was read");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("residue-number-beyond-int.cif: not a readable PDB or mmCIF structure") != std::string::npos, e.what());
        }
    }
    void shortConnectionRecordsFoundByTheFuzzer()
    {
        // fuzz_structure (ASan, 188 s into its long run): a 78-byte "SSBO..." line. gemmi 0.5.7
        // copies SSBOND, LINK and CISPEP records into strings and reads the distance at columns
        // 74-78 (and fast_float further, for "infinity") past the end of a short one. Those records
        // are padded to 88 columns before gemmi reads them: under the sanitizer suite this reads
        // nothing beyond the text, and the file, which has no atoms, is refused
        try {
            (void)readStructure(structureDir() / "fuzz/short-ssbond-record.pdb");
            QFAIL("a file without atoms was read");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("short-ssbond-record.pdb: not a readable PDB or mmCIF structure (no atoms)") != std::string::npos, e.what());
        }
        // the second finding: a LINK record that a NUL byte cuts short (gemmi copies it up to the NUL)
        try {
            (void)readStructure(structureDir() / "fuzz/link-record-cut-by-nul.pdb");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("link-record-cut-by-nul.pdb: not a readable PDB or mmCIF structure") != std::string::npos, e.what());
        }
        // the third (CI's 20-second run, 2026-12-02): a 198-byte line whose rest after column 120
        // gemmi reads as a LINK line of its own, since it stops dropping that rest at a byte >= 0x80
        try {
            const ProteinStructure odd = readStructure(structureDir() / "fuzz/link-record-after-a-long-line.pdb");
            QVERIFY(!odd.chains.empty());
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("link-record-after-a-long-line.pdb: not a readable PDB or mmCIF structure") != std::string::npos, e.what());
        }
        // a real structure with short LINK and SSBOND records reads as before
        writeText(file("links.pdb"),
                  "SSBOND   1 CYS A    1    CYS A    2\n"
                  "LINK         CA  ALA A   1                 CA  GLY A   2     1555   1555  2.5\n"
                  "ATOM      1  N   ALA A   1      10.000  10.000  10.000\n" // no occupancy: gemmi's default
                  "ATOM      2  CA  ALA A   1      11.000  10.000  10.000\n"
                  "ATOM      3  CA  GLY A   2      13.000  10.000  10.000  1.00 20.00           C\n"
                  "END\n");
        const ProteinStructure s = readStructure(file("links.pdb"));
        QCOMPARE(s.chains.front().sequence(), std::string("AG"));
        QVERIFY(s.chains.front().residues[0].hasCa);
    }
    void filesThatAreNotStructuresAreRefused_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("an alignment") << QByteArray(">a\nACDE\n") << "bad.pdb: not a readable PDB or mmCIF structure";
        QTest::newRow("empty") << QByteArray("") << "bad.pdb: not a readable PDB or mmCIF structure";
        QTest::newRow("a PDB header, no atoms") << QByteArray("HEADER    HYDROLASE\nEND\n") << "bad.pdb: not a readable PDB or mmCIF structure (no atoms)";
        QTest::newRow("only water") << QByteArray("HETATM    1  O   HOH A 101      30.000  30.000  30.000  1.00 20.00           O\nEND\n")
                                    << "bad.pdb: the first model has no amino acids";
        QTest::newRow("broken mmCIF") << QByteArray("data_x\nloop_\n_atom_site.id\n_atom_site.Cartn_x\n1\n") << "bad.pdb: not a readable PDB or mmCIF structure";
    }
    void filesThatAreNotStructuresAreRefused()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        writeText(file("bad.pdb"), content.toStdString());
        const auto thrown = thrownMessage<FormatError>([&] { (void)readStructure(file("bad.pdb")); });
        QVERIFY2(thrown, "no FormatError");
        QVERIFY2(thrown->find(tmp_.path().toStdString() + "/" + message.toStdString()) == 0, thrown->c_str());
    }
    void anUnknownChainNamesTheChainsThereAre()
    {
        const ProteinStructure s = readStructure(structureDir() / "1A0J_A.pdb.gz");
        const auto thrown = thrownMessage<Error>([&] { (void)s.chain("Z"); });
        QVERIFY(thrown && thrown->find("no chain 'Z' (its protein chains: A)") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestStructure)
#include "TestStructure.moc"
