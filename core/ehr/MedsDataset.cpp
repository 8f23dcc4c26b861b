#include "ehr/MedsDataset.h"

#include "ehr/EventTableReader.h"
#include "util/Error.h"

#define DUCKDB_API_NO_DEPRECATED
#include <duckdb.h>

#include <algorithm>
#include <mutex>
#include <set>

namespace attn {

struct MedsDataset::Engine {
    duckdb_database db = nullptr;
    duckdb_connection con = nullptr;
    std::mutex mutex; ///< One query at a time on the connection.

    ~Engine()
    {
        if (con)
            duckdb_disconnect(&con);
        if (db)
            duckdb_close(&db);
    }
};

namespace {

namespace fs = std::filesystem;

/// A path as an SQL string literal.
std::string literal(const std::string& s)
{
    std::string out = "'";
    for (const char c : s)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

/// A finished query's result, destroyed on scope exit.
class Result {
public:
    Result(duckdb_connection con, const std::string& sql, const std::string& where)
    {
        if (duckdb_query(con, sql.c_str(), &r_) == DuckDBError) {
            const std::string message = duckdb_result_error(&r_);
            duckdb_destroy_result(&r_);
            throw FormatError(where + ": " + message);
        }
    }
    explicit Result(duckdb_result r) : r_(r) {}
    ~Result() { duckdb_destroy_result(&r_); }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    duckdb_result& get() { return r_; }

private:
    duckdb_result r_{};
};

/// One data chunk of a result, with typed access to its columns.
class Chunk {
public:
    explicit Chunk(duckdb_result& r) : c_(duckdb_fetch_chunk(r)) {}
    ~Chunk()
    {
        if (c_)
            duckdb_destroy_data_chunk(&c_);
    }
    Chunk(const Chunk&) = delete;
    Chunk& operator=(const Chunk&) = delete;
    bool valid() const { return c_ && duckdb_data_chunk_get_size(c_) > 0; }
    idx_t size() const { return duckdb_data_chunk_get_size(c_); }
    bool isNull(idx_t col, idx_t row) const
    {
        uint64_t* validity = duckdb_vector_get_validity(duckdb_data_chunk_get_vector(c_, col));
        return validity && !duckdb_validity_row_is_valid(validity, row);
    }
    std::string text(idx_t col, idx_t row) const
    {
        if (isNull(col, row))
            return {};
        auto* s = static_cast<duckdb_string_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(c_, col))) + row;
        return {duckdb_string_t_data(s), duckdb_string_t_length(*s)};
    }
    std::int64_t integer(idx_t col, idx_t row) const
    {
        return static_cast<const std::int64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(c_, col)))[row];
    }
    double real(idx_t col, idx_t row) const
    {
        return static_cast<const double*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(c_, col)))[row];
    }

private:
    duckdb_data_chunk c_;
};

/// Calls f(chunk, row) for every row of a result, chunk by chunk.
template <class F>
void forEachRow(Result& r, F f)
{
    for (;;) {
        const Chunk c(r.get());
        if (!c.valid())
            return;
        for (idx_t i = 0; i < c.size(); ++i)
            f(c, i);
    }
}

bool hasFileWithSuffix(const fs::path& folder, const std::string& suffix)
{
    std::error_code ec;
    int seen = 0;
    for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator() && seen < 10000; it.increment(ec), ++seen) {
        const std::string name = it->path().filename().string();
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 && it->is_regular_file(ec))
            return true;
    }
    return false;
}

std::unique_ptr<MedsDataset::Engine> openEngine(const std::string& where)
{
    auto e = std::make_unique<MedsDataset::Engine>();
    check<IoError>(duckdb_open(nullptr, &e->db) == DuckDBSuccess && duckdb_connect(e->db, &e->con) == DuckDBSuccess,
                   where + ": cannot start DuckDB");
    return e;
}

/// A column name as an SQL identifier.
std::string identifier(const std::string& s)
{
    std::string out = "\"";
    for (const char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string tableScan(const fs::path& file)
{
    return "read_csv(" + literal(file.string()) + ", header = true, all_varchar = true)";
}

/// A field as CSV: quoted when it holds a comma, a quote or a line break.
void appendCsvField(std::string& out, const std::string& field)
{
    if (field.find_first_of(",\"\r\n") == std::string::npos) {
        out += field;
        return;
    }
    out += '"';
    for (const char c : field)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
}

std::string dataScan(const fs::path& folder)
{
    return "read_parquet(" + literal((folder / "data" / "**" / "*.parquet").string()) + ", filename = true, file_row_number = true, union_by_name = true)";
}

} // namespace

bool MedsDataset::looksLike(const fs::path& folder)
{
    std::error_code ec;
    return fs::is_directory(folder / "data", ec) && hasFileWithSuffix(folder / "data", ".parquet");
}

MedsDataset::MedsDataset(const fs::path& folder) : folder_(folder)
{
    const std::string where = folder.string();
    check<FormatError>(looksLike(folder), where + ": not a MEDS dataset (no .parquet files under data/)");
    engine_ = openEngine(where);
    std::vector<std::string> columns;
    {
        Result r(engine_->con, "DESCRIBE SELECT * FROM " + dataScan(folder), where);
        forEachRow(r, [&](const Chunk& c, idx_t i) { columns.push_back(c.text(0, i)); });
    }
    for (const char* required : {"subject_id", "time", "code"})
        check<FormatError>(std::find(columns.begin(), columns.end(), required) != columns.end(),
                           where + ": the Parquet data have no column '" + required + "' (MEDS: subject_id, time, code, numeric_value)");
    for (const char* value : {"numeric_value", "text_value"})
        if (std::find(columns.begin(), columns.end(), value) != columns.end())
            valueColumns_.push_back(value);
    std::error_code ec;
    codes_ = fs::is_regular_file(folder / "metadata" / "codes.parquet", ec);
    splits_ = fs::is_regular_file(folder / "metadata" / "subject_splits.parquet", ec);
}

MedsDataset::MedsDataset(fs::path file, const ColumnMapping& mapping) : folder_(std::move(file)), table_(true), mapping_(mapping)
{
    const std::string where = folder_.string();
    engine_ = openEngine(where);
    Result r(engine_->con, "DESCRIBE SELECT * FROM " + tableScan(folder_), where);
    forEachRow(r, [&](const Chunk& c, idx_t i) { tableColumns_.push_back(c.text(0, i)); });
    const auto mapped = mapping_.columns.find("subject_id");
    subjectColumn_ = mapped != mapping_.columns.end() && !mapped->second.empty() ? mapped->second.front() : "subject_id";
    check<FormatError>(std::find(tableColumns_.begin(), tableColumns_.end(), subjectColumn_) != tableColumns_.end(),
                       where + ": the table has no column '" + subjectColumn_ + "'");
}

std::unique_ptr<MedsDataset> MedsDataset::openTable(const fs::path& file, const ColumnMapping& mapping)
{
    return std::unique_ptr<MedsDataset>(new MedsDataset(file, mapping));
}

EventLoad MedsDataset::loadFromTable(const std::string& subject) const
{
    std::string sql = "SELECT * FROM " + tableScan(folder_); // insertion order is kept: the rows in file order
    if (!subject.empty())
        sql += " WHERE CAST(" + identifier(subjectColumn_) + " AS VARCHAR) = " + literal(subject);
    std::string text;
    for (std::size_t c = 0; c < tableColumns_.size(); ++c) {
        text += c ? "," : "";
        appendCsvField(text, tableColumns_[c]);
    }
    text += '\n';
    {
        const std::lock_guard<std::mutex> lock(engine_->mutex);
        Result r(engine_->con, sql, folder_.string());
        forEachRow(r, [&](const Chunk& chunk, idx_t i) {
            for (std::size_t c = 0; c < tableColumns_.size(); ++c) {
                text += c ? "," : "";
                appendCsvField(text, chunk.text(c, i));
            }
            text += '\n';
        });
    }
    std::string table = folder_.filename().string();
    table = table.substr(0, table.find('.'));
    EventLoad load = parseEventTable(text, folder_.string() + (subject.empty() ? "" : " (subject " + subject + "'s rows)"), table, mapping_);
    check<FormatError>(subject.empty() || !load.table.events.empty(), folder_.string() + ": no subject '" + subject + "' in the table");
    return load;
}

MedsDataset::~MedsDataset() = default;

std::vector<MedsSubject> MedsDataset::subjects() const
{
    if (table_) { // the subject column alone, in file order; the first appearance of each kept
        const std::lock_guard<std::mutex> lock(engine_->mutex);
        Result r(engine_->con, "SELECT CAST(" + identifier(subjectColumn_) + " AS VARCHAR) FROM " + tableScan(folder_), folder_.string());
        std::vector<MedsSubject> out;
        std::set<std::string> seen;
        forEachRow(r, [&](const Chunk& c, idx_t i) {
            std::string id = c.text(0, i);
            if (!id.empty() && seen.insert(id).second)
                out.push_back({std::move(id), ""});
        });
        return out;
    }
    const std::string firstSeen = "SELECT CAST(subject_id AS VARCHAR) AS id, min(filename) AS f, min(file_row_number) AS r FROM "
        + dataScan(folder_) + " GROUP BY subject_id";
    std::string sql = splits_ ? "SELECT d.id, coalesce(CAST(s.split AS VARCHAR), '') FROM (" + firstSeen + ") d LEFT JOIN (SELECT CAST(subject_id AS VARCHAR) AS id, split FROM read_parquet("
                                    + literal((folder_ / "metadata" / "subject_splits.parquet").string()) + ")) s USING (id) ORDER BY d.f, d.r"
                              : "SELECT id, '' FROM (" + firstSeen + ") ORDER BY f, r";
    const std::lock_guard<std::mutex> lock(engine_->mutex);
    Result r(engine_->con, sql, folder_.string());
    std::vector<MedsSubject> out;
    forEachRow(r, [&](const Chunk& c, idx_t i) { out.push_back({c.text(0, i), c.text(1, i)}); });
    return out;
}

EventLoad MedsDataset::load(const std::string& subject) const
{
    if (table_)
        return loadFromTable(subject);
    const bool numeric = std::find(valueColumns_.begin(), valueColumns_.end(), "numeric_value") != valueColumns_.end();
    const bool text = std::find(valueColumns_.begin(), valueColumns_.end(), "text_value") != valueColumns_.end();
    std::string sql = "SELECT CAST(d.subject_id AS VARCHAR), epoch_us(CAST(d.time AS TIMESTAMP)), CAST(d.code AS VARCHAR), "
        + std::string(numeric ? "CAST(d.numeric_value AS DOUBLE)" : "CAST(NULL AS DOUBLE)") + ", "
        + (text ? "CAST(d.text_value AS VARCHAR)" : "CAST(NULL AS VARCHAR)") + ", "
        + (codes_ ? "CAST(c.description AS VARCHAR)" : "CAST(NULL AS VARCHAR)") + ", d.filename FROM " + dataScan(folder_) + " d";
    if (codes_)
        sql += " LEFT JOIN (SELECT CAST(code AS VARCHAR) AS code, any_value(description) AS description FROM read_parquet("
            + literal((folder_ / "metadata" / "codes.parquet").string()) + ") GROUP BY code) c ON CAST(d.code AS VARCHAR) = c.code";
    if (!subject.empty())
        sql += " WHERE CAST(d.subject_id AS VARCHAR) = " + literal(subject);
    sql += " ORDER BY d.filename, d.file_row_number";
    EventLoad load;
    {
        const std::lock_guard<std::mutex> lock(engine_->mutex);
        Result r(engine_->con, sql, folder_.string());
        forEachRow(r, [&](const Chunk& c, idx_t i) {
            Event e;
            e.subject = c.text(0, i);
            if (!c.isNull(1, i)) { // MEDS times are microseconds, UTC
                const std::int64_t us = c.integer(1, i);
                e.time = EventTime{us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000), TimePrecision::Second};
            }
            e.code = c.text(2, i);
            if (!c.isNull(3, i))
                e.numeric = c.real(3, i);
            e.text = c.text(4, i);
            e.display = c.text(5, i);
            e.resource = fs::relative(c.text(6, i), folder_).string();
            load.table.events.push_back(std::move(e));
        });
    }
    load.report.resources = static_cast<int>(load.table.events.size());
    check<FormatError>(subject.empty() || !load.table.events.empty(), folder_.string() + ": no subject '" + subject + "' in the dataset");
    sortEvents(load.table);
    return load;
}

void MedsDataset::convertCsv(const fs::path& csvFolder, const fs::path& out)
{
    const std::string where = csvFolder.string();
    check<FormatError>(hasFileWithSuffix(csvFolder / "data", ".csv"), where + ": no CSV files under data/");
    auto engine = openEngine(where);
    const auto copy = [&](const fs::path& from, const fs::path& to, const std::string& select) {
        fs::create_directories(to.parent_path());
        Result(engine->con, "COPY (SELECT " + select + " FROM read_csv(" + literal(from.string()) + ", header = true, all_varchar = true)) TO "
                                + literal(to.string()) + " (FORMAT parquet)", from.string());
    };
    const std::string events = "CAST(subject_id AS BIGINT) AS subject_id, "
                               "CAST(CASE length(time) WHEN 4 THEN time || '-01-01' WHEN 7 THEN time || '-01' " // a year, a month: its first day
                               "ELSE nullif(replace(time, 'Z', ''), '') END AS TIMESTAMP) AS time, code, "
                               "CAST(nullif(numeric_value, '') AS FLOAT) AS numeric_value, nullif(text_value, '') AS text_value";
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(csvFolder / "data", ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".csv") {
            fs::path rel = fs::relative(it->path(), csvFolder);
            copy(it->path(), out / rel.replace_extension(".parquet"), events);
        }
    if (fs::is_regular_file(csvFolder / "metadata" / "subject_splits.csv", ec))
        copy(csvFolder / "metadata" / "subject_splits.csv", out / "metadata" / "subject_splits.parquet",
             "CAST(subject_id AS BIGINT) AS subject_id, split");
    if (fs::is_regular_file(csvFolder / "metadata" / "codes.csv", ec))
        copy(csvFolder / "metadata" / "codes.csv", out / "metadata" / "codes.parquet", "*");
}

} // namespace attn
