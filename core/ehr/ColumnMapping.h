#pragma once
/// @file ColumnMapping.h
/// Which columns of an event table give the MEDS columns, for tables that are not MEDS-shaped
/// (an OMOP measurement or drug_exposure export, say). Given on the command line as
/// "subject_id=person_id,time=measurement_datetime|measurement_date,code=measurement_concept_id"
/// or in a JSON file {"subject_id": "person_id", "time": ["measurement_datetime",
/// "measurement_date"], "code": "measurement_concept_id", "code_prefix": "OMOP"}. Where several
/// columns are given, the first that is not empty in a row is used.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace attn {

struct ColumnMapping {
    std::map<std::string, std::vector<std::string>> columns; ///< MEDS column -> source columns, in order.
    std::string codePrefix; ///< When set, codes are "PREFIX/value".

    bool empty() const { return columns.empty() && codePrefix.empty(); }

    /// The MEDS and companion columns a mapping may name: subject_id, time, code, numeric_value,
    /// text_value, unit, end, precision, resource.
    static const std::vector<std::string>& targets();

    /// From "target=column|column,target=column" (code_prefix=P for the prefix). Throws
    /// FormatError for an unknown target or an empty column.
    static ColumnMapping parse(const std::string& spec);

    /// From a JSON file as above. Throws FormatError naming the file.
    static ColumnMapping read(const std::filesystem::path& path);

    /// The command line's mapping: the JSON file (if named), then the spec's columns over it.
    static ColumnMapping fromOptions(const std::string& file, const std::string& spec);
};

} // namespace attn
