#pragma once
/// @file FuzzSupport.h
/// What every libFuzzer target shares. The readers take paths, as the app and the CLI call
/// them, so a target writes its input to a scratch file and reads it back: the fuzzed entry
/// point is the real one. attnscope's own errors (attn::Error and its kinds) are the expected
/// answer to bad input; anything else that escapes (a std::out_of_range, a JSON library's
/// exception, a bad_alloc) is a finding, as are the sanitizers' reports and allocations over
/// libFuzzer's limit (a size claimed by a file and trusted).

#include "util/Error.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace attn::fuzz {

/// Separates the files of a multi-file input (a model folder): config.json, then
/// model.safetensors, then any more. Also in the targets' dictionaries.
inline constexpr std::string_view kFileSeparator = "\n--attnscope-fuzz-file--\n";

/// A scratch folder of this process (in /dev/shm when there is one), emptied per input.
const std::filesystem::path& scratch();

/// Writes bytes to scratch()/name (creating folders) and returns its path.
std::filesystem::path writeScratch(const std::string& name, std::string_view bytes);

/// The input split at kFileSeparator.
std::vector<std::string_view> splitFiles(const std::uint8_t* data, std::size_t size);

/// Removes everything in scratch().
void clearScratch();

/// Runs a reader on bad input: attnscope's errors are expected; any other exception escapes.
template <class F>
void readExpectingOnlyOurErrors(F&& read)
{
    try {
        read();
    } catch (const attn::Error&) {
    }
}

} // namespace attn::fuzz
