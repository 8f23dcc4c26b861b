#pragma once
/// @file MedsDataset.h
/// A MEDS dataset as MEDS users have it: a folder with data/**/*.parquet (subject_id, time, code,
/// numeric_value, text_value, ...), metadata/codes.parquet (code, description) and
/// metadata/subject_splits.parquet (subject_id, split). Read through DuckDB, an embedded SQL
/// engine over Parquet and CSV; this class is the only place that knows it (duckdb.h is included
/// by MedsDataset.cpp alone), so a packaged route can replace it. Listing the subjects reads the
/// subject_id column only; loading one subject reads its rows, never the whole dataset into memory.
/// A large event table (CSV or TSV, gzipped or not) is read the same way (openTable).

#include "ehr/ColumnMapping.h"
#include "ehr/EventLoad.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace attn {

/// One subject of a dataset.
struct MedsSubject {
    std::string id;    ///< subject_id.
    std::string split; ///< From subject_splits ("" when not listed).
};

class MedsDataset {
public:
    /// True when the folder has .parquet files under data/. Never throws.
    static bool looksLike(const std::filesystem::path& folder);
    /// Opens the dataset; FormatError naming the folder when it has no Parquet data or its data
    /// lack subject_id, time or code.
    explicit MedsDataset(const std::filesystem::path& folder);
    ~MedsDataset();
    MedsDataset(const MedsDataset&) = delete;
    MedsDataset& operator=(const MedsDataset&) = delete;

    /// One event table read through DuckDB: the subjects listed from its subject column alone, and
    /// one subject's rows selected (in file order) and parsed by parseEventTable, with the same rules
    /// and messages as a table read whole (their line numbers count the subject's rows).
    static std::unique_ptr<MedsDataset> openTable(const std::filesystem::path& file, const ColumnMapping& mapping = {});
    /// Tables of at least this many bytes are read through openTable when one subject is asked for.
    static constexpr std::uintmax_t kLargeTableBytes = 64ull << 20;

    /// The folder (or the table).
    const std::filesystem::path& folder() const { return folder_; }
    /// The subjects in the order they first appear (file name, then row), with their splits.
    std::vector<MedsSubject> subjects() const;
    /// One subject's events, sorted (sortEvents), with codes.parquet's description as the display
    /// text; FormatError naming the folder when there is no such subject.
    EventLoad load(const std::string& subject) const;

    /// Writes a MEDS dataset of CSV files (data/**/*.csv, metadata/codes.csv and
    /// metadata/subject_splits.csv where present, times as YYYY-MM-DDTHH:MM:SS[Z], YYYY-MM-DD, YYYY-MM or
    /// YYYY, which MEDS keeps as the first instant) as the same
    /// dataset in Parquet under `out` (the benchmark's cohort, and test data).
    static void convertCsv(const std::filesystem::path& csvFolder, const std::filesystem::path& out);

    struct Engine; ///< DuckDB's database and connection (MedsDataset.cpp).

private:
    std::filesystem::path folder_;
    std::unique_ptr<Engine> engine_;
    MedsDataset(std::filesystem::path file, const ColumnMapping& mapping);
    EventLoad loadFromTable(const std::string& subject) const;

    std::vector<std::string> valueColumns_; ///< Of numeric_value, text_value: those the data have.
    bool codes_ = false, splits_ = false;
    bool table_ = false;                    ///< One event table (openTable).
    ColumnMapping mapping_;                 ///< The table's mapping.
    std::vector<std::string> tableColumns_; ///< The table's header.
    std::string subjectColumn_;             ///< The table's column that gives subject_id.
};

} // namespace attn
