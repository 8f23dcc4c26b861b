// libFuzzer target: a protein structure (PDB or mmCIF, gzipped or not) through gemmi, then what
// `contacts` does with it: map a query onto its first chain and find its contacts; and the residues
// its binding sites list (SITE records, _struct_site_gen) on that chain.

#include "FuzzSupport.h"
#include "interpret/Contacts.h"
#include "structure/ProteinStructure.h"
#include "structure/QueryMapping.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = attn::fuzz::writeScratch("input.pdb", {reinterpret_cast<const char*>(data), size});
    attn::fuzz::readExpectingOnlyOurErrors([&] {
        const attn::ProteinStructure s = attn::readStructure(path);
        const attn::StructureChain& chain = s.chain("");
        if (chain.residues.size() <= 200) {
            const attn::QueryMapping m = attn::mapQueryToChain(chain.sequence() + "W", chain);
            (void)attn::countContacts(attn::trueContacts(m, chain), attn::ContactRange::Long);
        }
        if (s.siteResidues.size() <= 1000)
            (void)s.siteResidueIndices(chain);
    });
    return 0;
}
