#include "msa/Msa.h"

#include <algorithm>

namespace attn {

std::string msaFormatName(MsaFormat format)
{
    switch (format) {
    case MsaFormat::A3m:
        return "a3m";
    case MsaFormat::A2m:
        return "a2m";
    case MsaFormat::AlignedFasta:
        return "aligned-fasta";
    case MsaFormat::Stockholm:
        return "stockholm";
    case MsaFormat::Clustal:
        return "clustal";
    }
    return "unknown";
}

std::string Msa::queryName() const
{
    if (rows.empty())
        return {};
    const std::string& name = rows.front().name;
    return name.substr(0, name.find_first_of(" \t"));
}

double Msa::gapFraction() const
{
    std::size_t gaps = 0;
    for (const MsaRow& row : rows)
        gaps += static_cast<std::size_t>(std::count(row.residues.begin(), row.residues.end(), '-'));
    const double cells = static_cast<double>(sequences()) * static_cast<double>(columns());
    return cells > 0 ? static_cast<double>(gaps) / cells : 0.0;
}

std::vector<std::size_t> Msa::queryColumns() const
{
    std::vector<std::size_t> columns;
    if (!rows.empty())
        for (std::size_t c = 0; c < rows.front().residues.size(); ++c)
            if (rows.front().residues[c] != '-')
                columns.push_back(c);
    return columns;
}

} // namespace attn
