#include "structure/ProteinStructure.h"

#include "util/Error.h"

#include <algorithm>

namespace attn {

std::string StructureResidue::label() const
{
    return name + " " + std::to_string(number) + (insertion == ' ' || insertion == '\0' ? "" : std::string(1, insertion));
}

bool StructureResidue::contactAtom(Eigen::Vector3d& position) const
{
    if (name == "GLY") {
        position = ca;
        return hasCa;
    }
    position = cb;
    return hasCb;
}

std::string StructureChain::sequence() const
{
    std::string s;
    for (const StructureResidue& r : residues)
        s += r.code;
    return s;
}

const StructureChain& ProteinStructure::chain(const std::string& name) const
{
    if (name.empty())
        return chains.front();
    std::string names;
    for (const StructureChain& c : chains) {
        if (c.name == name)
            return c;
        names += (names.empty() ? "" : ", ") + c.name;
    }
    throw Error(file + ": no chain '" + name + "' (its protein chains: " + names + ")");
}

std::vector<std::size_t> ProteinStructure::siteResidueIndices(const StructureChain& chain) const
{
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < chain.residues.size(); ++i) {
        const StructureResidue& r = chain.residues[i];
        const bool listed = std::any_of(siteResidues.begin(), siteResidues.end(), [&](const SiteResidue& s) {
            return s.chain == chain.name && s.number == r.number && s.insertion == r.insertion;
        });
        if (listed)
            out.push_back(i);
    }
    return out;
}

std::vector<std::string> ProteinStructure::siteNames() const
{
    std::vector<std::string> names;
    for (const SiteResidue& s : siteResidues)
        if (std::find(names.begin(), names.end(), s.site) == names.end())
            names.push_back(s.site);
    return names;
}

} // namespace attn
