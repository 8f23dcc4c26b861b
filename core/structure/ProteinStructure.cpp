#include "structure/ProteinStructure.h"

#include "util/Error.h"

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

} // namespace attn
