// The one file that includes gemmi (header-only, slow to compile): reading a structure into
// ProteinStructure.

#include "structure/ProteinStructure.h"
#include "structure/StructureSites.h"

#include "util/Error.h"

#include <gemmi/gz.hpp>
#include <gemmi/mmread.hpp>
#include <gemmi/resinfo.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace attn {
namespace {

/// The highest-occupancy position of the atom named `name` (any altloc); false when there is none.
bool bestAtom(const gemmi::Residue& residue, const std::string& name, Eigen::Vector3d& position)
{
    const gemmi::Atom* best = nullptr;
    for (const gemmi::Atom& atom : residue.atoms)
        if (atom.name == name && (!best || atom.occ > best->occ))
            best = &atom;
    if (best)
        position = {best->pos.x, best->pos.y, best->pos.z};
    return best != nullptr;
}

float caOccupancy(const gemmi::Residue& residue)
{
    float occ = -1;
    for (const gemmi::Atom& atom : residue.atoms)
        if (atom.name == "CA")
            occ = std::max(occ, atom.occ);
    return occ;
}

StructureResidue residueOf(const gemmi::Residue& r)
{
    StructureResidue out;
    out.name = r.name == "MSE" ? "MET" : r.name;
    const gemmi::ResidueInfo info = gemmi::find_tabulated_residue(out.name);
    out.code = info.one_letter_code == ' ' ? 'X' : static_cast<char>(std::toupper(static_cast<unsigned char>(info.one_letter_code)));
    out.number = r.seqid.num.value;
    out.insertion = r.seqid.icode;
    out.hasCa = bestAtom(r, "CA", out.ca);
    out.hasCb = bestAtom(r, "CB", out.cb);
    return out;
}

/// The chain's amino acids; of residues that share a number (microheterogeneity), the one whose
/// Calpha has the higher occupancy.
StructureChain chainOf(const gemmi::Chain& chain)
{
    StructureChain out;
    out.name = chain.name;
    const gemmi::Residue* previous = nullptr;
    for (const gemmi::Residue& r : chain.residues) {
        if (!gemmi::find_tabulated_residue(r.name).is_amino_acid())
            continue;
        if (previous && previous->seqid == r.seqid) {
            if (caOccupancy(r) > caOccupancy(*previous))
                out.residues.back() = residueOf(r);
            continue;
        }
        out.residues.push_back(residueOf(r));
        previous = &r;
    }
    return out;
}

/// True when an ATOM / HETATM line's columns 79-80 hold no PDB v3 charge ("  ", "2+", "1-"):
/// an old-style ID code and line number in columns 73-80.
bool oldStyleColumns(const std::string& line)
{
    if (line.size() < 80)
        return false;
    const char a = line[78], b = line[79];
    const bool charge = (a == ' ' && b == ' ') || (std::isdigit(static_cast<unsigned char>(a)) && (b == '+' || b == '-'))
        || ((a == '+' || a == '-') && std::isdigit(static_cast<unsigned char>(b))) || (a == ' ' && (b == '+' || b == '-'));
    return !charge;
}

/// gemmi 0.5.7 copies SSBOND, LINK and CISPEP records into strings and reads fixed columns past
/// the end of a short one (LINK's distance at columns 74-78, and fast_float looks further for
/// "infinity"): a heap over-read, found by fuzz_structure three times: a short line, one cut
/// short by a NUL byte, and a long line whose rest gemmi takes as a line of its own (it drops what
/// follows column 120 only up to a newline, a NUL or a byte >= 0x80, a negative char, where it
/// stops and starts the next "line"). So NUL bytes and bytes >= 0x80, which no PDB record holds,
/// become spaces on every line, and connection records are padded with spaces to 88 columns
/// before gemmi sees them; other lines keep their length, since gemmi reads a short ATOM line's
/// missing occupancy as 1 and a padded one's as 0.
/// Old-style files (PDB before v3, SCOP/ASTRAL domains) keep an ID code and a line number in
/// columns 73-80 of ATOM and HETATM records, where v3 has the segment, element and charge;
/// gemmi then refuses the line number as a charge ("Wrong format for charge: 22"). Where columns
/// 79-80 are not a v3 charge (blank, or a digit and a sign), columns 73-80 are blanked, as
/// Biopython ignores them: gemmi then takes the element from the atom name.
void sanitisePdbLines(gemmi::CharArray& text)
{
    std::string out;
    out.reserve(text.size());
    const char* p = text.data();
    const char* end = p + text.size();
    bool changed = false;
    while (p < end) {
        const char* eol = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        const char* stop = eol ? eol : end;
        std::string line(p, stop);
        for (char& c : line)
            if (c == '\0' || static_cast<unsigned char>(c) >= 0x80) {
                c = ' ';
                changed = true;
            }
        std::string head = line.substr(0, 4);
        for (char& c : head)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if ((head == "ATOM" || head == "HETA") && oldStyleColumns(line)) {
            std::fill(line.begin() + 72, line.begin() + 80, ' ');
            changed = true;
        } else if (head == "SSBO" || head == "LINK" || head == "CISP") {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (line.size() < 88)
                line.resize(88, ' ');
            changed = true;
        }
        out += line;
        if (eol)
            out += '\n';
        p = eol ? eol + 1 : end;
    }
    if (!changed)
        return;
    gemmi::CharArray padded(out.size());
    std::memcpy(padded.data(), out.data(), out.size());
    text = std::move(padded);
}

/// An mmCIF block's `_struct_site_gen` rows (author chain, number, insertion code), water left out.
std::vector<SiteResidue> cifSiteRows(gemmi::cif::Block& block, const std::string& file, std::string& problem)
{
    std::vector<SiteResidue> out;
    for (auto row : block.find("_struct_site_gen.", {"site_id", "auth_asym_id", "auth_seq_id", "?pdbx_auth_ins_code", "?auth_comp_id"})) {
        SiteResidue r;
        r.site = gemmi::cif::as_string(row[0]);
        r.chain = gemmi::cif::as_string(row[1]);
        const std::string number = gemmi::cif::as_string(row[2]);
        const auto parsed = std::from_chars(number.data(), number.data() + number.size(), r.number);
        if (number.empty() || parsed.ec != std::errc() || parsed.ptr != number.data() + number.size()) {
            if (problem.empty())
                problem = file + ": a _struct_site_gen row of site " + r.site + " has the residue number '" + number + "'";
            continue;
        }
        r.insertion = insertionCode(row.has(3) ? gemmi::cif::as_string(row[3]) : std::string());
        if (!(row.has(4) && gemmi::cif::as_string(row[4]) == "HOH"))
            out.push_back(r);
    }
    return out;
}

/// The structure in a file's text, and its binding sites into `out` (PDB: SITE records; mmCIF and
/// mmJSON: `_struct_site_gen`).
gemmi::Structure parseStructure(gemmi::CharArray& text, const std::string& file, ProteinStructure& out)
{
    const gemmi::CoorFormat format = gemmi::coor_format_from_content(text.data(), text.data() + text.size());
    if (format == gemmi::CoorFormat::Pdb) {
        sanitisePdbLines(text);
        out.siteResidues = pdbSiteRecords(text.data(), text.size(), file, out.sitesProblem);
        return gemmi::read_pdb_from_memory(text.data(), text.size(), file);
    }
    if (format != gemmi::CoorFormat::Mmcif && format != gemmi::CoorFormat::Mmjson)
        return gemmi::read_structure_from_char_array(text.data(), text.size(), file); // names the format it cannot read
    gemmi::cif::Document doc = format == gemmi::CoorFormat::Mmcif ? gemmi::cif::read_memory(text.data(), text.size(), file.c_str())
                                                                         : gemmi::cif::read_mmjson_insitu(text.data(), text.size(), file);
    if (!doc.blocks.empty())
        out.siteResidues = cifSiteRows(doc.blocks.front(), file, out.sitesProblem);
    return gemmi::make_structure_from_doc(doc, true);
}

} // namespace

ProteinStructure readStructure(const std::filesystem::path& path)
{
    const std::string file = path.string();
    check<IoError>(std::filesystem::is_regular_file(path), file + ": no such file");
    gemmi::Structure st;
    ProteinStructure out;
    try {
        gemmi::MaybeGzipped input(file);
        gemmi::CharArray text = gemmi::read_into_buffer(input);
        st = parseStructure(text, file, out);
    } catch (const std::exception& e) { // gemmi reports everything as std::runtime_error and the like
        throw FormatError(file + ": not a readable PDB or mmCIF structure (" + e.what() + ")");
    }
    std::size_t atoms = 0;
    if (!st.models.empty())
        for (const gemmi::Chain& chain : st.models.front().chains)
            for (const gemmi::Residue& r : chain.residues)
                atoms += r.atoms.size();
    check<FormatError>(atoms > 0, file + ": not a readable PDB or mmCIF structure (no atoms)");
    out.file = file;
    for (const gemmi::Chain& chain : st.models.front().chains) {
        StructureChain c = chainOf(chain);
        if (!c.residues.empty())
            out.chains.push_back(std::move(c));
    }
    check<FormatError>(!out.chains.empty(), file + ": the first model has no amino acids");
    return out;
}

} // namespace attn
