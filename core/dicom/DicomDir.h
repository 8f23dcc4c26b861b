#pragma once
/// @file DicomDir.h
/// Reading a DICOMDIR (PS3.10 media directory): the files its directory records reference.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace attn {

/// The files a DICOMDIR lists, resolved against its folder.
struct DicomDirFiles {
    std::vector<std::filesystem::path> files; ///< Referenced files that exist, in record order.
    std::vector<std::string> missing;         ///< "DICOMDIR: references ID, which is missing" per absent file.
};

/// True for a file named DICOMDIR, in any case (a media directory, never an image).
bool isDicomDirName(const std::filesystem::path& file);

/// The DICOMDIR directly in `folder` (the name matched without regard to case), if any.
std::optional<std::filesystem::path> findDicomDir(const std::filesystem::path& folder);

/// Reads a DICOMDIR and resolves every record's ReferencedFileID (components joined below the
/// DICOMDIR's folder, each matched without regard to case, as media written on one system are
/// often copied with lower-cased names). Throws DicomError naming the file when it is not a
/// readable DICOMDIR.
DicomDirFiles readDicomDir(const std::filesystem::path& dicomDir);

} // namespace attn
