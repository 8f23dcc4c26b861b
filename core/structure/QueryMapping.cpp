#include "structure/QueryMapping.h"

#include <gemmi/seqalign.hpp>

namespace attn {

std::string ungapped(const std::string& alignedRow)
{
    std::string s;
    for (char c : alignedRow)
        if (c != '-' && c != '.')
            s += c;
    return s;
}

QueryMapping mapQueryToChain(const std::string& query, const StructureChain& chain)
{
    const std::string q = ungapped(query);
    std::vector<std::string> a, b;
    for (char c : q)
        a.emplace_back(1, c);
    for (const StructureResidue& r : chain.residues)
        b.emplace_back(1, r.code);
    gemmi::AlignmentScoring scoring;
    scoring.match = 1;
    scoring.mismatch = -1;
    scoring.gapo = -10;
    scoring.gape = -1;
    const gemmi::AlignmentResult result = gemmi::align_string_sequences(a, b, {}, scoring);
    QueryMapping m;
    m.residue.assign(q.size(), -1);
    std::size_t i = 0, j = 0; // query, chain
    for (const gemmi::AlignmentResult::Item& item : result.cigar) {
        for (std::uint32_t k = 0; k < item.len(); ++k) {
            if (item.op() == 'M') {
                m.residue[i] = static_cast<int>(j);
                ++m.mapped;
                m.identical += q[i] == chain.residues[j].code;
                ++i, ++j;
            } else if (item.op() == 'I') {
                m.unmatched.push_back(i++);
            } else {
                ++j;
            }
        }
    }
    for (; i < q.size(); ++i) // an alignment that gemmi could not make (over 255 letters) maps nothing
        m.unmatched.push_back(i);
    return m;
}

} // namespace attn
