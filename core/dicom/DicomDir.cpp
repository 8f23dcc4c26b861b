#include "dicom/DicomDir.h"

#include "dicom/DcmtkSetup.h"
#include "util/Error.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <algorithm>
#include <cctype>
#include <map>

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

/// Resolves ReferencedFileIDs below a root, listing each folder at most once for the names that
/// do not match exactly (media copied with lower-cased names miss on every component).
class FileIdResolver {
public:
    explicit FileIdResolver(std::filesystem::path root) : root_(std::move(root)) {}

    /// ("SUB", "IM0001") -> the existing path, or nothing.
    std::optional<std::filesystem::path> resolve(const std::vector<std::string>& components)
    {
        std::filesystem::path folder = root_;
        for (const auto& c : components) {
            if (c.empty() || c == "." || c == ".." || c.find('/') != std::string::npos)
                return std::nullopt; // a file ID names files below the DICOMDIR, nothing else
            std::error_code ec;
            if (std::filesystem::exists(folder / c, ec)) {
                folder /= c;
                continue;
            }
            const auto& names = listing(folder);
            const auto found = names.find(lower(c));
            if (found == names.end())
                return std::nullopt;
            folder = found->second;
        }
        return folder;
    }

private:
    const std::map<std::string, std::filesystem::path>& listing(const std::filesystem::path& folder)
    {
        auto [it, added] = listings_.try_emplace(folder.string());
        if (added) {
            std::error_code ec;
            for (auto e = std::filesystem::directory_iterator(folder, ec); !ec && e != std::filesystem::directory_iterator(); e.increment(ec))
                it->second.emplace(lower(e->path().filename().string()), e->path());
        }
        return it->second;
    }

    std::filesystem::path root_;
    std::map<std::string, std::map<std::string, std::filesystem::path>> listings_;
};

std::vector<std::string> fileIdComponents(DcmItem& record)
{
    // Bounded by the element's own value multiplicity: with a VR that has no multiplicity (a
    // fuzzed ST instead of CS), DCMTK returns the whole value for every index, so a loop until
    // it fails never ends (fuzz_dicomdir's first finding).
    std::vector<std::string> out;
    DcmElement* element = nullptr;
    if (record.findAndGetElement(DCM_ReferencedFileID, element).bad() || element == nullptr)
        return out;
    const unsigned long count = std::min<unsigned long>(element->getVM(), 64); // a path of at most 64 folders
    OFString value;
    for (unsigned long i = 0; i < count && element->getOFString(value, i).good(); ++i)
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
    DcmFileFormat file;
    const std::string whyNot = loadWithDcmtk(file, dicomDir.string());
    if (!whyNot.empty())
        throw DicomError(dicomDir.string() + ": not a readable DICOMDIR (" + whyNot + ")");
    DcmSequenceOfItems* records = nullptr;
    if (file.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || !records)
        throw DicomError(dicomDir.string() + ": not a DICOMDIR (no DirectoryRecordSequence)");
    DicomDirFiles out;
    FileIdResolver resolver(dicomDir.parent_path());
    for (unsigned long i = 0; i < records->card(); ++i) {
        DcmItem& record = *records->getItem(i);
        Uint16 inUse = 0xFFFF;
        if (record.findAndGetUint16(DCM_RecordInUseFlag, inUse).good() && inUse == 0)
            continue; // a deleted record (PS3.10: 0000H means inactive)
        const std::vector<std::string> id = fileIdComponents(record);
        if (id.empty())
            continue; // patient, study and series records reference no file
        if (const auto path = resolver.resolve(id))
            out.files.push_back(*path);
        else
            out.missing.push_back(dicomDir.string() + ": references " + joined(id) + ", which is missing");
    }
    return out;
}

} // namespace attn
