#pragma once
/// @file ContentSniff.h
/// Looks at the first bytes of files, so that kinds can say what they accept by content rather
/// than by name. Nothing here throws: an unreadable file is simply not accepted.

#include <filesystem>
#include <string>

namespace attn::kinds {

/// Up to `bytes` bytes from the start of a regular file ("" if it cannot be read).
std::string fileHead(const std::filesystem::path& path, std::size_t bytes);

/// True if the file looks like DICOM: "DICM" after the 128-byte preamble, or (files written
/// without a preamble) a first element in group 0x0008 or 0x0002, little endian.
bool looksLikeDicomFile(const std::filesystem::path& path);

/// True if the folder holds a DICOMDIR or, among its first `limit` files (recursively), one that
/// looks like DICOM.
bool folderHasDicom(const std::filesystem::path& folder, int limit = 200);

} // namespace attn::kinds
