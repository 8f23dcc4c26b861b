#include "io/TextFile.h"

#include "io/BinaryFile.h"
#include "util/Error.h"

#include <zlib.h>

#include <memory>

namespace attn {
namespace {

std::string sizeText(std::size_t bytes)
{
    return bytes % (std::size_t{1} << 30) == 0 ? std::to_string(bytes >> 30) + " GiB" : std::to_string(bytes) + " bytes";
}

/// Decompresses at most `limit` bytes; beyond that, throws when `strict`, else stops there.
std::string readGzip(const std::filesystem::path& path, std::size_t limit, bool strict)
{
    const std::string name = path.string();
    const std::unique_ptr<gzFile_s, int (*)(gzFile)> gz(gzopen(name.c_str(), "rb"), gzclose);
    check<IoError>(gz != nullptr, name + ": cannot open");
    std::string text;
    char buffer[1 << 16];
    while (text.size() < limit || strict) {
        const int n = gzread(gz.get(), buffer, sizeof buffer);
        if (n < 0) {
            int code = 0;
            throw FormatError(name + ": not a readable gzip file (" + gzerror(gz.get(), &code) + ")");
        }
        if (n == 0)
            break;
        check<FormatError>(!strict || text.size() + static_cast<std::size_t>(n) <= limit,
                           name + ": decompresses to more than the " + sizeText(limit) + " a text file may be");
        text.append(buffer, static_cast<std::size_t>(n));
    }
    if (!strict)
        return text.substr(0, limit);
    int code = Z_OK;
    const char* problem = gzerror(gz.get(), &code);
    if (code != Z_OK && code != Z_STREAM_END) // Z_BUF_ERROR: the stream ends before its end
        throw FormatError(name + ": not a readable gzip file (" + (code == Z_BUF_ERROR ? "cut short" : problem) + ")");
    return text;
}

} // namespace

bool isGzipped(const std::filesystem::path& path)
{
    const std::string head = readFileHead(path, 2);
    return head.size() == 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b;
}

std::string readMaybeGzippedText(const std::filesystem::path& path, std::size_t limit)
{
    if (isGzipped(path))
        return readGzip(path, limit, true);
    BinaryFile file(path);
    check<FormatError>(file.size() <= limit, path.string() + ": larger than the " + sizeText(limit) + " a text file may be");
    return file.read(0, file.size());
}

std::string textHead(const std::filesystem::path& path, std::size_t bytes)
{
    return isGzipped(path) ? readGzip(path, bytes, false) : readFileHead(path, bytes);
}

} // namespace attn
