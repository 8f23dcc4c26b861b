#pragma once
/// @file ZipArchive.h
/// Read-only access to the entries of a zip archive through libzip (a PyTorch checkpoint is one).
/// libzip appears in ZipArchive.cpp alone.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace attn {

/// An opened zip archive: its entry names, sizes and contents, each read whole and checked.
class ZipArchive {
public:
    /// Opens the archive; throws IoError if the file cannot be read and FormatError naming it
    /// when it is not a zip archive or its directory is damaged.
    explicit ZipArchive(const std::filesystem::path& path);
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    /// The names of every entry, in the archive's order.
    const std::vector<std::string>& names() const { return names_; }
    /// True if an entry has exactly this name.
    bool has(const std::string& name) const;
    /// The uncompressed size of entry `name`; throws FormatError if there is none.
    std::uint64_t size(const std::string& name) const;
    /// Reads entry `name` whole into `out` (which must hold size(name) bytes); throws FormatError
    /// naming the archive and the entry if it is missing, damaged or shorter than it says.
    void read(const std::string& name, char* out, std::uint64_t bytes) const;
    /// Reads entry `name` whole, refusing one larger than `limit` bytes.
    std::string read(const std::string& name, std::uint64_t limit) const;
    /// The archive's path, for messages.
    const std::filesystem::path& path() const { return path_; }

private:
    struct Handle;
    std::filesystem::path path_;
    std::unique_ptr<Handle> handle_;
    std::vector<std::string> names_;
};

} // namespace attn
