#include "ehr/EventReader.h"

#include "ehr/EventTableReader.h"
#include "ehr/FhirReader.h"
#include "io/TextFile.h"
#include "util/Error.h"

namespace attn {
namespace {

bool hasColumns(const std::string& head)
{
    const std::string first = head.substr(0, head.find('\n'));
    return looksLikeEventTable(first) && first.find("subject_id") != std::string::npos && first.find("code") != std::string::npos;
}

} // namespace

bool looksLikeEvents(const std::filesystem::path& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        if (MedsDataset::looksLike(path))
            return true;
        for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.find(".ndjson") != std::string::npos)
                return true;
            try { // a folder of FHIR .json files (Synthea writes one Bundle per patient)
                if (entry.is_regular_file(ec) && hasFhirFileName(entry.path()) && looksLikeFhir(textHead(entry.path())))
                    return true;
            } catch (const Error&) {
            }
        }
        return false;
    }
    try {
        const std::string head = textHead(path);
        return looksLikeFhir(head) || hasColumns(head);
    } catch (const Error&) {
        return false;
    }
}

std::unique_ptr<MedsDataset> subjectReader(const std::filesystem::path& path, const ColumnMapping& mapping)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return MedsDataset::looksLike(path) ? std::make_unique<MedsDataset>(path) : nullptr;
    const auto bytes = std::filesystem::file_size(path, ec);
    if (ec || bytes < MedsDataset::kLargeTableBytes || hasFhirFileName(path) || looksLikeFhir(textHead(path)))
        return nullptr;
    return MedsDataset::openTable(path, mapping);
}

EventLoad readEvents(const std::filesystem::path& path, const EventReadOptions& options)
{
    std::error_code ec;
    const bool folder = std::filesystem::is_directory(path, ec);
    check<IoError>(folder || std::filesystem::exists(path, ec), path.string() + ": no such file or folder");
    if (folder || !options.subject.empty())
        if (const auto reader = subjectReader(path, options.mapping)) // only the subject asked for is read
            return reader->load(options.subject);
    const bool fhir = folder || hasFhirFileName(path) || looksLikeFhir(textHead(path));
    EventLoad load = fhir ? readFhir(path) : readEventTable(path, options.mapping);
    if (!options.subject.empty()) // all subjects: the table as read, not a copy of it
        load.table = load.table.ofSubject(options.subject, path.string());
    return load;
}

} // namespace attn
