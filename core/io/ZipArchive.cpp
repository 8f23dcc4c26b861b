#include "io/ZipArchive.h"

#include "io/BinaryFile.h"
#include "util/Error.h"

#include <zip.h>

namespace attn {

struct ZipArchive::Handle {
    zip_t* zip = nullptr;
    ~Handle()
    {
        if (zip)
            zip_discard(zip); // read-only: nothing to write back
    }
};

namespace {

std::string zipErrorText(int code)
{
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    return text;
}

std::string entryWhere(const std::filesystem::path& archive, const std::string& name)
{
    return archive.string() + ": entry '" + name + "'";
}

} // namespace

ZipArchive::ZipArchive(const std::filesystem::path& path) : path_(path), handle_(std::make_unique<Handle>())
{
    check<IoError>(isRegularFile(path), path.string() + ": cannot read the file");
    int code = 0;
    handle_->zip = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    check<FormatError>(handle_->zip != nullptr, path.string() + ": not a readable zip archive (" + zipErrorText(code) + ")");
    const zip_int64_t count = zip_get_num_entries(handle_->zip, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* name = zip_get_name(handle_->zip, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
        check<FormatError>(name != nullptr, path.string() + ": entry " + std::to_string(i) + " has no readable name");
        names_.emplace_back(name);
    }
}

ZipArchive::~ZipArchive() = default;

bool ZipArchive::has(const std::string& name) const
{
    return zip_name_locate(handle_->zip, name.c_str(), ZIP_FL_ENC_RAW) >= 0;
}

std::uint64_t ZipArchive::size(const std::string& name) const
{
    zip_stat_t st;
    zip_stat_init(&st);
    check<FormatError>(zip_stat(handle_->zip, name.c_str(), ZIP_FL_ENC_RAW, &st) == 0 && (st.valid & ZIP_STAT_SIZE),
                       entryWhere(path_, name) + " is missing");
    return st.size;
}

void ZipArchive::read(const std::string& name, char* out, std::uint64_t bytes) const
{
    zip_file_t* file = zip_fopen(handle_->zip, name.c_str(), ZIP_FL_ENC_RAW);
    check<FormatError>(file != nullptr, entryWhere(path_, name) + " cannot be read (" + zip_strerror(handle_->zip) + ")");
    std::uint64_t done = 0;
    while (done < bytes) {
        const zip_int64_t n = zip_fread(file, out + done, bytes - done);
        if (n <= 0)
            break;
        done += static_cast<std::uint64_t>(n);
    }
    const std::string problem = done < bytes ? std::string(zip_file_strerror(file)) : std::string();
    zip_fclose(file);
    check<FormatError>(done == bytes, entryWhere(path_, name) + " is shorter than its " + std::to_string(bytes) + " bytes"
                                          + (problem.empty() ? std::string() : " (" + problem + ")"));
}

std::string ZipArchive::read(const std::string& name, std::uint64_t limit) const
{
    const std::uint64_t bytes = size(name);
    check<FormatError>(bytes <= limit, entryWhere(path_, name) + " holds " + std::to_string(bytes) + " bytes, more than the "
                                           + std::to_string(limit) + " expected");
    std::string text(bytes, '\0');
    read(name, text.data(), bytes);
    return text;
}

} // namespace attn
