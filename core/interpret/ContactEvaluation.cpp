#include "interpret/ContactEvaluation.h"

#include "model/layers/ContactHead.h"
#include "structure/QueryMapping.h"

namespace attn {

ContactPrecision contactPrecision(const Matrix& scores, const Matrix& truth)
{
    const auto l = static_cast<std::size_t>(truth.rows());
    ContactPrecision p;
    for (std::size_t r = 0; r < kContactRanges.size(); ++r)
        for (std::size_t d = 0; d < kPrecisionDivisors.size(); ++d)
            p.at[r][d] = precisionAt(scores, truth, kContactRanges[r], l / static_cast<std::size_t>(kPrecisionDivisors[d]));
    return p;
}

StructureContacts structureContacts(const std::string& queryRow, const StructureChain& chain)
{
    StructureContacts s;
    s.chain = chain.name;
    s.mapping = mapQueryToChain(queryRow, chain);
    s.truth = trueContacts(s.mapping, chain);
    for (Index i = 0; i < s.truth.rows(); ++i)
        s.withCoordinates += s.truth(i, i) >= 0.0f;
    for (int residue : s.mapping.residue)
        s.residueLabels.push_back(residue < 0 ? std::string() : chain.residues[static_cast<std::size_t>(residue)].label());
    for (std::size_t r = 0; r < kContactRanges.size(); ++r)
        s.counts[r] = countContacts(s.truth, kContactRanges[r]);
    return s;
}

BestHead bestContactHead(const AttentionStore& store, Index first, Index residues, const Matrix& truth,
                         const std::function<Matrix(const Matrix&)>& toQuery)
{
    BestHead best;
    double top = -1.0;
    const auto l = static_cast<std::size_t>(truth.rows());
    for (int layer = 0; layer < store.layers(); ++layer)
        for (int head = 0; head < store.heads(); ++head) {
            const Matrix map = toQuery(headContactMap(store, layer, head, first, residues));
            const double p = precisionAt(map, truth, ContactRange::Long, l);
            if (p > top) {
                top = p;
                best = {layer, head, contactPrecision(map, truth)};
            }
        }
    return best;
}

} // namespace attn
