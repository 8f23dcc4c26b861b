#include "kinds/ContentSniff.h"

#include <fstream>

namespace attn::kinds {

std::string fileHead(const std::filesystem::path& path, std::size_t bytes)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return {};
    std::ifstream in(path, std::ios::binary);
    std::string head(bytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(bytes));
    head.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    return head;
}

bool looksLikeDicomFile(const std::filesystem::path& path)
{
    const std::string head = fileHead(path, 132);
    if (head.size() == 132 && head.compare(128, 4, "DICM") == 0)
        return true;
    return head.size() >= 8 && (head[0] == '\x08' || head[0] == '\x02') && head[1] == '\0' && head[3] == '\0';
}

bool folderHasDicom(const std::filesystem::path& folder, int limit)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        return false;
    int seen = 0;
    for (auto it = std::filesystem::recursive_directory_iterator(folder, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator() && seen < limit; it.increment(ec)) {
        if (!it->is_regular_file(ec))
            continue;
        ++seen;
        if (it->path().filename() == "DICOMDIR" || looksLikeDicomFile(it->path()))
            return true;
    }
    return false;
}

} // namespace attn::kinds
