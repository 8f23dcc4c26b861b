#pragma once
/// @file ProteinStructure.h
/// What attnscope takes from a protein structure file: per chain, the amino-acid residues of the
/// first model with their Calpha and Cbeta positions. Read by gemmi (StructureReader.cpp, the
/// only file that includes it): PDB or mmCIF, gzipped or not, judged by content; of alternative
/// locations the one with the highest occupancy; selenomethionine (MSE) read as methionine.

#include <Eigen/Core>

#include <filesystem>
#include <string>
#include <vector>

namespace attn {

/// One amino-acid residue.
struct StructureResidue {
    std::string name;              ///< Three-letter name ("MET" for MSE).
    char code = 'X';               ///< One-letter code; X when it has none.
    int number = 0;                ///< The file's residue number.
    char insertion = ' ';          ///< Its insertion code.
    bool hasCa = false, hasCb = false;
    Eigen::Vector3d ca = Eigen::Vector3d::Zero(), cb = Eigen::Vector3d::Zero();
    /// "GLY 57" or "ALA 184A": the residue in the structure's own numbering.
    std::string label() const;
    /// The atom contacts are measured from: Cbeta, Calpha for glycine; false when it is missing.
    bool contactAtom(Eigen::Vector3d& position) const;
};

/// One chain's amino acids in file order.
struct StructureChain {
    std::string name;
    std::vector<StructureResidue> residues;
    /// The one-letter sequence.
    std::string sequence() const;
};

/// A residue that a binding site lists: a PDB file's SITE records or an mmCIF file's
/// `_struct_site_gen` rows (author chain, number and insertion code).
struct SiteResidue {
    std::string site;              ///< The site's identifier ("AC1", "CAT").
    std::string chain;             ///< Author chain name.
    int number = 0;                ///< Author residue number.
    char insertion = ' ';          ///< Insertion code.
};

/// A structure's protein chains.
struct ProteinStructure {
    std::string file;
    std::vector<StructureChain> chains;
    std::vector<SiteResidue> siteResidues; ///< Every residue its binding sites list, in file order.
    std::string sitesProblem;              ///< Non-empty when a site record could not be read (file, line, what).
    /// The residues of `chain` (indices into its residues) that a binding site lists, ascending.
    std::vector<std::size_t> siteResidueIndices(const StructureChain& chain) const;
    /// The sites' identifiers, each once, in file order.
    std::vector<std::string> siteNames() const;
    /// The chain of that name, or the first when `name` is empty; throws Error naming the file
    /// and the chains it has when there is no such chain.
    const StructureChain& chain(const std::string& name) const;
};

/// Reads a structure, with its binding sites when it lists any. Throws FormatError naming the file for anything gemmi cannot read, no
/// model, or no amino acids.
ProteinStructure readStructure(const std::filesystem::path& path);

} // namespace attn
