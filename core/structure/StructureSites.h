#pragma once
/// @file StructureSites.h
/// A structure's binding sites from a PDB file's SITE records, which gemmi does not keep
/// (mmCIF's `_struct_site_gen` is read through gemmi's CIF document in StructureReader.cpp).
/// Internal to core/structure.

#include "structure/ProteinStructure.h"

#include <string>
#include <vector>

namespace attn {

/// The residues a PDB text's SITE records list (columns after the wwPDB format v3.3: four
/// residues a record, name, chain, number and insertion code at columns 19, 23, 24-27 and 28,
/// then every 11 columns). Water (HOH) is left out. A residue number that is not a number
/// makes `problem` name the file and the line (the first such), and that residue is left out.
std::vector<SiteResidue> pdbSiteRecords(const char* text, std::size_t size, const std::string& file, std::string& problem);

/// An insertion code as a character: ' ' for none ("", "?", ".").
char insertionCode(const std::string& code);

} // namespace attn
