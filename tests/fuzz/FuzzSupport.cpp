#include "FuzzSupport.h"

#include <unistd.h>

#include <fstream>

namespace attn::fuzz {

const std::filesystem::path& scratch()
{
    static const std::filesystem::path dir = [] {
        const std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
        std::filesystem::path d = base / ("attnscope-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

std::filesystem::path writeScratch(const std::string& name, std::string_view bytes)
{
    const std::filesystem::path path = scratch() / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

std::vector<std::string_view> splitFiles(const std::uint8_t* data, std::size_t size)
{
    std::vector<std::string_view> parts;
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    for (std::size_t at; (at = rest.find(kFileSeparator)) != std::string_view::npos; rest.remove_prefix(at + kFileSeparator.size()))
        parts.push_back(rest.substr(0, at));
    parts.push_back(rest);
    return parts;
}

void clearScratch()
{
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(scratch(), ignored))
        std::filesystem::remove_all(entry.path(), ignored);
}

} // namespace attn::fuzz
