// libFuzzer target: a PyTorch checkpoint (zip archive, restricted unpickler, storages and views).
// An input starting with a zip header is the file itself; any other input is a data.pkl, put in a
// zip archive beside two storages (data/0: 64 floats, data/1: 8 halves) so that the unpickler and
// the tensor views are fuzzed through the real entry point, readTorchStateDict.

#include "FuzzSupport.h"
#include "checkpoint/TorchCheckpoint.h"

#include <zip.h>

#include <cstring>

namespace {

std::filesystem::path wrapAsCheckpoint(std::string_view pickle)
{
    static const std::string floats(64 * 4, '\x3f'), halves(8 * 2, '\x3c');
    const auto path = attn::fuzz::writeScratch("model.pt", "");
    int error = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!z)
        return path;
    const std::pair<const char*, std::string_view> entries[] = {{"m/data.pkl", pickle}, {"m/data/0", floats}, {"m/data/1", halves}};
    for (const auto& [name, bytes] : entries)
        if (zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0); !src || zip_file_add(z, name, src, 0) < 0)
            zip_source_free(src);
    zip_close(z);
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    attn::fuzz::clearScratch();
    const auto path = bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4) ? attn::fuzz::writeScratch("model.pt", bytes)
                                                                              : wrapAsCheckpoint(bytes);
    attn::fuzz::readExpectingOnlyOurErrors([&] { (void)attn::readTorchStateDict(path); });
    return 0;
}
