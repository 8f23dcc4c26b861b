// attnscope-cli dicom-info: the series in a folder and, for each, the volume it builds.

#include "cli/CliCommands.h"

#include "dicom/DicomSeries.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <numeric>

namespace attn::cli {
namespace {

using json = nlohmann::json;

json vectorJson(const Eigen::Vector3d& v)
{
    return json::array({v.x(), v.y(), v.z()});
}

json seriesJson(const DicomSeriesInfo& s, const DicomVolume& v)
{
    const auto& g = v.volume.geometry;
    const auto [lo, hi] = std::minmax_element(v.volume.values.begin(), v.volume.values.end());
    const double mean = std::accumulate(v.volume.values.begin(), v.volume.values.end(), 0.0)
        / static_cast<double>(std::max<std::size_t>(1, v.volume.values.size()));
    json direction = json::array();
    for (int c = 0; c < 3; ++c)
        direction.push_back(vectorJson(g.direction.col(c)));
    return {{"uid", s.uid},           {"patient", s.patientName}, {"study_date", s.studyDate},
            {"modality", s.modality}, {"description", s.description}, {"files", s.files.size()},
            {"dimensions", {g.size[0], g.size[1], g.size[2]}},
            {"spacing", vectorJson(g.spacing)}, {"origin", vectorJson(g.origin)}, {"direction", direction},
            {"min", *lo}, {"max", *hi}, {"mean", mean}, {"warnings", v.warnings}};
}

void printText(const json& s)
{
    if (s.contains("error")) {
        std::cout << "series " << s["uid"].get<std::string>() << "\n  error: " << s["error"].get<std::string>() << "\n";
        return;
    }
    std::cout << "series " << s["uid"].get<std::string>() << "\n"
              << "  " << s["modality"].get<std::string>() << ", " << s["description"].get<std::string>() << ", patient "
              << s["patient"].get<std::string>() << ", study date " << s["study_date"].get<std::string>() << ", "
              << s["files"] << " files\n"
              << "  dimensions " << s["dimensions"] << ", spacing " << s["spacing"] << " mm\n"
              << "  origin " << s["origin"] << " mm, direction " << s["direction"] << "\n"
              << "  values min " << s["min"] << ", max " << s["max"] << ", mean " << s["mean"] << "\n";
    for (const auto& w : s["warnings"])
        std::cout << "  warning: " << w.get<std::string>() << "\n";
}

} // namespace

void dicomInfoCommand(const DicomInfoArgs& args)
{
    const DicomScan scan = scanDicomFolder(args.folder);
    check<DicomError>(!scan.series.empty(), args.folder + ": no DICOM image series found"
                                                + (scan.skipped.empty() ? std::string() : " (" + scan.skipped.front() + ", ...)"));
    json all = json::array();
    std::string firstError;
    int loaded = 0;
    for (const DicomSeriesInfo& s : scan.series) {
        if (!args.series.empty() && s.uid != args.series)
            continue;
        try { // one series that cannot be built does not hide the others
            all.push_back(seriesJson(s, loadDicomSeries(s)));
            ++loaded;
        } catch (const DicomError& e) {
            all.push_back({{"uid", s.uid}, {"files", s.files.size()}, {"error", e.what()}});
            firstError = firstError.empty() ? e.what() : firstError;
        }
    }
    check<DicomError>(!all.empty(), args.folder + ": no series with UID " + args.series);
    check<DicomError>(loaded > 0, firstError);
    if (args.json) {
        std::cout << json{{"folder", args.folder}, {"dicomdir", scan.dicomDir.string()}, {"series", all}, {"skipped", scan.skipped}}.dump(2)
                  << "\n";
        return;
    }
    if (!scan.dicomDir.empty())
        std::cout << "files listed in " << scan.dicomDir.string() << "\n";
    for (const json& s : all)
        printText(s);
    for (const std::string& skipped : scan.skipped)
        std::cout << "skipped: " << skipped << "\n";
}

} // namespace attn::cli
