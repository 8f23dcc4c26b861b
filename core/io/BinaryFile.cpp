#include "io/BinaryFile.h"

#include "util/Error.h"

#include <cerrno>
#include <algorithm>
#include <cstring>

namespace attn {

BinaryFile::BinaryFile(const std::filesystem::path& path)
    : path_(path)
{
    std::error_code ec;
    check<IoError>(!std::filesystem::is_directory(path, ec), path.string() + ": is a directory, not a file");
    in_.open(path, std::ios::binary);
    check<IoError>(in_.good(), path.string() + ": cannot open (" + std::strerror(errno) + ")");
    in_.seekg(0, std::ios::end);
    size_ = static_cast<std::uint64_t>(in_.tellg());
}

std::string BinaryFile::read(std::uint64_t offset, std::uint64_t count)
{
    check<FormatError>(offset <= size_ && count <= size_ - offset,
                       path_.string() + ": read of " + std::to_string(count) + " bytes at offset "
                           + std::to_string(offset) + " runs past the end of the file ("
                           + std::to_string(size_) + " bytes)");
    std::string bytes(count, '\0');
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(bytes.data(), static_cast<std::streamsize>(count));
    check<IoError>(in_.good() || count == 0, path_.string() + ": read error");
    return bytes;
}

std::string readWholeFile(const std::filesystem::path& path)
{
    BinaryFile file(path);
    return file.read(0, file.size());
}

bool isRegularFile(const std::filesystem::path& path)
{
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

std::string readFileHead(const std::filesystem::path& path, std::size_t bytes)
{
    if (!isRegularFile(path))
        return {};
    std::ifstream in(path, std::ios::binary);
    std::string head(bytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(bytes));
    head.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    return head;
}

void writeBinaryFile(const std::filesystem::path& path, const std::string& bytes)
{
    // written beside it first and renamed over it, so that a failed write (a full disk) leaves
    // the file that was there whole
    std::filesystem::path part = path;
    part += ".part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        check<IoError>(out.good(), path.string() + ": cannot open for writing (" + std::strerror(errno) + ")");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out.good()) {
            std::error_code ignored;
            std::filesystem::remove(part, ignored);
            throw IoError(path.string() + ": write failed (disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(part, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(part, ignored);
        throw IoError(path.string() + ": cannot replace the file (" + ec.message() + ")");
    }
}

} // namespace attn
