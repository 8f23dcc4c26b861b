#include "dicom/DicomDir.h"

#include "dicom/DcmtkSetup.h"
#include "util/Error.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <algorithm>
#include <cctype>

namespace attn {
namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// The entry of `folder` named `name`, exactly or else without regard to case.
std::optional<std::filesystem::path> entryIgnoringCase(const std::filesystem::path& folder, const std::string& name)
{
    std::error_code ec;
    if (std::filesystem::exists(folder / name, ec))
        return folder / name;
    const std::string wanted = lower(name);
    for (auto it = std::filesystem::directory_iterator(folder, ec); !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        if (lower(it->path().filename().string()) == wanted)
            return it->path();
    return std::nullopt;
}

/// ReferencedFileID components ("SUB", "IM0001") -> an existing path, or nothing.
std::optional<std::filesystem::path> resolve(std::filesystem::path folder, const std::vector<std::string>& components)
{
    for (const auto& c : components) {
        if (c.empty() || c == "." || c == ".." || c.find('/') != std::string::npos)
            return std::nullopt; // a file ID names files below the DICOMDIR, nothing else
        const auto next = entryIgnoringCase(folder, c);
        if (!next)
            return std::nullopt;
        folder = *next;
    }
    return folder;
}

std::vector<std::string> fileIdComponents(DcmItem& record)
{
    std::vector<std::string> out;
    OFString value;
    for (unsigned long i = 0; record.findAndGetOFString(DCM_ReferencedFileID, value, i).good(); ++i)
        out.emplace_back(value.c_str());
    return out;
}

std::string joined(const std::vector<std::string>& components)
{
    std::string out;
    for (const auto& c : components)
        out += (out.empty() ? "" : "/") + c;
    return out;
}

} // namespace

bool isDicomDirName(const std::filesystem::path& file)
{
    return lower(file.filename().string()) == "dicomdir";
}

std::optional<std::filesystem::path> findDicomDir(const std::filesystem::path& folder)
{
    const auto found = entryIgnoringCase(folder, "DICOMDIR");
    std::error_code ec;
    return found && std::filesystem::is_regular_file(*found, ec) ? found : std::nullopt;
}

DicomDirFiles readDicomDir(const std::filesystem::path& dicomDir)
{
    initialiseDcmtk();
    DcmFileFormat file;
    const OFCondition status = file.loadFile(OFFilename(dicomDir.c_str()));
    if (status.bad())
        throw DicomError(dicomDir.string() + ": not a readable DICOMDIR (" + status.text() + ")");
    DcmSequenceOfItems* records = nullptr;
    if (file.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || !records)
        throw DicomError(dicomDir.string() + ": not a DICOMDIR (no DirectoryRecordSequence)");
    DicomDirFiles out;
    const std::filesystem::path root = dicomDir.parent_path();
    for (unsigned long i = 0; i < records->card(); ++i) {
        const std::vector<std::string> id = fileIdComponents(*records->getItem(i));
        if (id.empty())
            continue; // patient, study and series records reference no file
        if (const auto path = resolve(root, id))
            out.files.push_back(*path);
        else
            out.missing.push_back(dicomDir.string() + ": references " + joined(id) + ", which is missing");
    }
    return out;
}

} // namespace attn
