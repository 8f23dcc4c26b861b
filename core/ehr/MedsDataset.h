#pragma once
/// @file MedsDataset.h
/// A MEDS dataset as MEDS users have it: a folder with data/**/*.parquet (subject_id, time, code,
/// numeric_value, text_value, ...), metadata/codes.parquet (code, description) and
/// metadata/subject_splits.parquet (subject_id, split). Read through DuckDB, an embedded SQL
/// engine over Parquet and CSV; this class is the only place that knows it (duckdb.h is included
/// by MedsDataset.cpp alone), so a packaged route can replace it. Listing the subjects reads the
/// subject_id column only; loading one subject reads its rows, never the whole dataset into memory.

#include "ehr/EventLoad.h"

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

    /// The folder.
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
    std::vector<std::string> valueColumns_; ///< Of numeric_value, text_value: those the data have.
    bool codes_ = false, splits_ = false;
};

} // namespace attn
