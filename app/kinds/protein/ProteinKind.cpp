#include "interpret/ContactEvaluation.h"

#include "io/ResidueList.h"
#include "interpret/ModelPredictors.h"
#include "structure/ProteinStructure.h"
#include "kinds/protein/ProteinKind.h"

#include "kinds/Resources.h"
#include "interpret/Contacts.h"
#include "io/TextFile.h"
#include "kinds/protein/ProteinWorkspace.h"
#include "model/SequenceModel.h"
#include "model/msa_transformer/MsaTransformer.h"
#include "msa/MsaReader.h"
#include "structure/QueryMapping.h"
#include "util/Error.h"

#include <cctype>
#include <chrono>
#include <cstring>
#include <sstream>

namespace attn::kinds {

namespace {

bool proteinLetters(std::size_t letters, std::size_t proteinOnly)
{
    return letters > 0 && proteinOnly * 50 >= letters;
}

bool proteinOnlyLetter(char c)
{
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u != '\0' && std::strchr("EFIJLOPQZ", u) != nullptr;
}

/// The residue text of an alignment's head: FASTA / A3M sequence lines, or the second field of
/// Stockholm and Clustal rows. Empty when the head looks like none of them.
std::string residueText(const std::string& head)
{
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    const bool fasta = head[first] == '>';
    const bool stockholm = head.compare(first, 11, "# STOCKHOLM") == 0;
    const bool clustal = head.compare(first, 7, "CLUSTAL") == 0 || head.compare(first, 6, "MUSCLE") == 0;
    if (!fasta && !stockholm && !clustal)
        return {};
    std::string residues;
    std::istringstream in(head);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '>' || line[0] == '#' || line.rfind("//", 0) == 0)
            continue;
        if (fasta) {
            residues += line;
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(line[0])) || line.rfind("CLUSTAL", 0) == 0 || line.rfind("MUSCLE", 0) == 0)
            continue; // Clustal's conservation lines and header
        std::istringstream fields(line);
        std::string name, row;
        fields >> name >> row;
        residues += row;
    }
    return residues;
}

} // namespace

bool looksLikeStructure(const std::string& head)
{
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return false;
    if (head.compare(first, 5, "data_") == 0)
        return head.find("_atom_site.") != std::string::npos || head.find("_entity_poly") != std::string::npos
            || head.find("_struct") != std::string::npos;
    std::istringstream in(head);
    std::string line;
    int records = 0;
    while (std::getline(in, line) && records < 2) {
        for (const char* record : {"HEADER", "ATOM  ", "HETATM", "CRYST1", "MODEL ", "SEQRES", "REMARK", "COMPND"})
            if (line.rfind(record, 0) == 0) {
                if (line.rfind("ATOM  ", 0) == 0 || line.rfind("HETATM", 0) == 0 || line.rfind("HEADER", 0) == 0)
                    ++records;
                break;
            }
    }
    return records > 0;
}

bool looksLikeProtein(const Msa& msa)
{
    std::size_t letters = 0, proteinOnly = 0;
    for (const MsaRow& row : msa.rows)
        for (char c : row.residues)
            if (c != '-') {
                ++letters;
                proteinOnly += proteinOnlyLetter(c) ? 1 : 0;
            }
    return proteinLetters(letters, proteinOnly);
}

bool ProteinKind::runs(const Model& model) const
{
    const auto* single = dynamic_cast<const SequenceModel*>(&model);
    return dynamic_cast<const MsaTransformer*>(&model) || (single && single->letters() == Letters::Protein);
}

bool ProteinKind::accepts(const std::filesystem::path& path) const
{
    // By the head of the file (64 KiB; a gzipped file's text): an alignment or FASTA layout whose
    // residues are protein letters. The readers judge the rest when it opens.
    try {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec))
            return false;
        const std::string head = textHead(path);
        if (looksLikeStructure(head))
            return true; // a structure opens beside the alignment (or alone, as its chain's sequence)
        std::size_t letters = 0, proteinOnly = 0;
        for (char c : residueText(head))
            if (std::isalpha(static_cast<unsigned char>(c))) {
                ++letters;
                proteinOnly += proteinOnlyLetter(c) ? 1 : 0;
            }
        return proteinLetters(letters, proteinOnly);
    } catch (const std::exception&) {
        return false;
    }
}

std::vector<Demo> ProteinKind::demos() const
{
    return {{"Proteins: trypsin alignment with its structure", app::resourcePath("models/protein_msa").toStdString(),
            app::resourcePath("data/proteins/tryps.a2m.gz").toStdString(), app::resourcePath("data/proteins/1A0J_A.pdb.gz").toStdString()}};
}

std::unique_ptr<Workspace> ProteinKind::createWorkspace(WorkspaceHost& host) const
{
    return std::make_unique<ProteinWorkspace>(*this, host);
}

std::unique_ptr<KindRun> ProteinKind::run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                          const RunOptions& options) const
{
    const bool axial = dynamic_cast<const MsaTransformer*>(model.get()) != nullptr;
    return runOn(model, readProteinInput(choice, !axial), choice.input, options);
}

std::unique_ptr<Predictor> ProteinKind::predictor(const std::shared_ptr<const Model>& model, const KindRun& run) const
{
    const auto& protein = dynamic_cast<const ProteinKindRun&>(run);
    if (const auto axial = std::dynamic_pointer_cast<const MsaTransformer>(model))
        return msaPredictor(axial, axial->tokenize(protein.msa, nullptr), static_cast<Index>(protein.msa.sequences()), protein.contactTruth);
    return sequencePredictor(modelAs<SequenceModel>(model, "model", "a sequence model"), protein.outputs->result.ids, protein.contactTruth);
}

std::shared_ptr<const ContactTruth> ProteinKind::contactTruth(const ProteinKindRun& run, Matrix truth)
{
    auto out = std::make_shared<ContactTruth>();
    out->truth = std::move(truth);
    if (run.axial)
        out->queryPositions = run.msa.queryColumns();
    return out;
}

void ProteinKind::measureAgainst(KindRun& kindRun, const AnnotationRequest& reference) const
{
    auto& run = dynamic_cast<ProteinKindRun&>(kindRun);
    check(!reference.structure.empty(), "a protein run is measured against a structure (--structure)");
    Matrix truth = structureContacts(run.msa.rows.front().residues, readStructure(reference.structure).chain(reference.chain)).truth;
    run.contactTruth = contactTruth(run, std::move(truth));
}

std::unique_ptr<ProteinKindRun> ProteinKind::runOn(const std::shared_ptr<const Model>& model, ProteinInput input,
                                                   const std::string& inputPath, const RunOptions& options)
{
    auto out = std::make_unique<ProteinKindRun>();
    const MsaRow& query = input.msa.rows.front();
    int unknown = 0;
    const auto start = std::chrono::steady_clock::now();
    SequenceRun run;
    std::string first = "<cls>", last = "<eos>";
    try {
        if (const auto* axial = dynamic_cast<const MsaTransformer*>(model.get())) {
            out->axial = true;
            run = axial->run(axial->tokenize(input.msa, &unknown), static_cast<Index>(input.msa.sequences()), options);
        } else {
            const auto& single = dynamic_cast<const SequenceModel&>(*model);
            const Encoding encoding = single.encode(ungapped(query.residues));
            unknown = encoding.unknownCount;
            first = encoding.tokens.front();
            last = encoding.tokens.back();
            run = single.run(encoding.ids, options);
        }
    } catch (const ShapeError& e) { // the input does not fit the model: name the file
        throw ShapeError(inputPath + ": " + e.what());
    }
    RunDescription& d = out->description;
    d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out->outputs = std::make_shared<const SequenceRun>(std::move(run));
    std::shared_ptr<const RunResult> result(out->outputs, &out->outputs->result);
    const std::string name = query.name.substr(0, query.name.find(' '));
    out->data = widgets::makeRunData(std::move(result), proteinTokenAxis(query.residues, !out->axial, first, last), {},
                                     QString::fromStdString(name));
    out->data.unknownCount = unknown;
    d.inputPath = inputPath;
    d.recordName = name;
    d.recordDescription = query.name.find(' ') == std::string::npos ? "" : query.name.substr(query.name.find(' ') + 1);
    d.unknownTokens = unknown;
    d.inputDetails = {{"sequences", static_cast<std::int64_t>(input.msa.sequences())},
                      {"sequences_in_file", static_cast<std::int64_t>(input.sequencesInFile)},
                      {"columns", static_cast<std::int64_t>(input.msa.columns())},
                      {"subsample", input.subsample.empty() ? std::string("none") : input.subsample}};
    out->msa = std::move(input.msa);
    return out;
}

void ProteinKind::writeRun(const std::filesystem::path& directory, const Model& model, const KindRun& kindRun,
                           const RunDescription& description, const RolloutOptions& rollout) const
{
    const auto& run = dynamic_cast<const ProteinKindRun&>(kindRun);
    const SequenceRun& p = *run.outputs;
    const ModelConfig& c = model.encoderConfig();
    const std::int64_t tokens = p.result.attention.length(), residues = p.contacts.rows(), vocab = p.logits.cols();
    RunFiles files;
    files.rollout = !run.axial; // rollout follows one token axis; column attention mixes the rows outside it
    if (run.axial) {
        files.attention = {{"row_attention", &p.result.attention, {}, "float32 [heads, C, C]: tied row attention, one map for every row; C = columns + 1 (<cls> first), row = query"},
                           {"column_attention", &p.columnAttention, {c.nHeads, tokens, p.rows, p.rows},
                            "float32 [heads, C, N, N]: per column, sequence x sequence (row = query), the query first"}};
        files.arrays.push_back({"logits.npy", {p.rows, tokens, vocab}, p.logits.data(), "float32 [N, C, vocab]: masked-LM logits of every row and column"});
    } else {
        files.arrays.push_back({"logits.npy", {tokens, vocab}, p.logits.data(), "float32 [T, vocab]: masked-LM logits, T = L + 2 (the model's first and last special tokens around the residues)"});
    }
    const std::string source = p.contactSource == "contact head" ? "the contact head's probabilities"
                                                                 : "the mean of every head's symmetrised, APC-corrected map (no contact head)";
    files.arrays.push_back({"contacts.npy", {residues, residues}, p.contacts.data(),
                            "float32 [L, L]: " + source + (run.axial ? ", one row per alignment column" : ", one row per residue")});
    writeRunDirectory(directory, model, run.data.axis, p.result, description, rollout, files);
}

namespace {

/// The token of each query residue: residue k is token k + 1 of ESM's ungapped query (<cls> first),
/// or, for the MSA Transformer, token c + 1 of the column c that holds it.
std::vector<std::size_t> queryTokens(const ProteinKindRun& run)
{
    std::vector<std::size_t> token = run.msa.queryColumns();
    for (std::size_t k = 0; k < token.size(); ++k)
        token[k] = (run.axial ? token[k] : k) + 1;
    return token;
}

/// The residues a list names, as positions of the run's tokens.
void markResidues(TokenAnnotations& a, const std::vector<std::size_t>& token, const std::string& file)
{
    a.positions.assign(a.eligible.size(), 0);
    for (long p : readResidueList(file)) {
        check<FormatError>(p <= static_cast<long>(token.size()), file + ": residue " + std::to_string(p) + " is beyond the query's "
                                                                    + std::to_string(token.size()) + " residues");
        a.positions[token[static_cast<std::size_t>(p - 1)]] = 1;
    }
}

/// The structure's true contacts, as pairs of the run's tokens.
void markContacts(TokenAnnotations& a, const std::vector<std::size_t>& token, const std::string& query, const AnnotationRequest& request)
{
    const Matrix truth = structureContacts(query, readStructure(request.structure).chain(request.chain)).truth;
    check<ShapeError>(static_cast<std::size_t>(truth.rows()) == token.size(), request.structure + ": the query's residues do not match the run's tokens");
    for (Index i = 0; i < truth.rows(); ++i)
        for (Index j = i + 1; j < truth.cols(); ++j)
            if (truth(i, j) > 0)
                a.pairs.emplace_back(static_cast<Index>(token[static_cast<std::size_t>(i)]), static_cast<Index>(token[static_cast<std::size_t>(j)]));
}

/// The residues the structure's binding sites list (SITE, `_struct_site_gen`), as positions of the
/// run's tokens: the query placed on the chain as for contacts.
void markSites(TokenAnnotations& a, const std::vector<std::size_t>& token, const std::string& query, const AnnotationRequest& request)
{
    const ProteinStructure s = readStructure(request.structure);
    check<FormatError>(s.sitesProblem.empty(), s.sitesProblem);
    check<FormatError>(!s.siteResidues.empty(), request.structure + ": lists no binding sites (no SITE records or _struct_site_gen rows)");
    const StructureChain& chain = s.chain(request.chain);
    const std::vector<std::size_t> listed = s.siteResidueIndices(chain);
    const QueryMapping mapping = mapQueryToChain(query, chain);
    check<ShapeError>(mapping.residue.size() == token.size(), request.structure + ": the query's residues do not match the run's tokens");
    a.positions.assign(a.eligible.size(), 0);
    for (std::size_t k = 0; k < token.size(); ++k)
        if (mapping.residue[k] >= 0 && std::binary_search(listed.begin(), listed.end(), static_cast<std::size_t>(mapping.residue[k])))
            a.positions[token[k]] = 1;
}

} // namespace

std::vector<AnnotationChoice> ProteinKind::annotationChoices(const std::string& path) const
{
    AnnotationRequest r;
    bool structure = false;
    try {
        structure = looksLikeStructure(textHead(path));
    } catch (const std::exception&) { // unreadable: the residue list's reader names the problem
    }
    if (!structure) {
        r.file = path;
        return {{"residue list", r}};
    }
    r.structure = path;
    AnnotationRequest sites = r;
    sites.bindingSites = true;
    return {{"contacts", r}, {"binding sites", sites}};
}

TokenAnnotations ProteinKind::annotations(const KindRun& kindRun, const AnnotationRequest& request) const
{
    const auto& run = dynamic_cast<const ProteinKindRun&>(kindRun);
    check(request.structure.empty() != request.file.empty(),
          "protein enrichment needs either --structure (its contacts or binding sites) or --annotations FILE (a list of the query's residues), not both");
    check(!request.bindingSites || !request.structure.empty(), "--binding-sites needs --structure, the structure whose sites to mark");
    const std::vector<std::size_t> token = queryTokens(run);
    const auto length = static_cast<std::size_t>(run.data.result->attention.length());
    check<ShapeError>(token.empty() || token.back() < length, "the query's residues do not match the run's tokens");
    TokenAnnotations a;
    a.eligible.assign(length, 0);
    for (std::size_t t : token)
        a.eligible[t] = 1;
    if (!request.file.empty())
        markResidues(a, token, request.file);
    else if (request.bindingSites)
        markSites(a, token, run.msa.rows.front().residues, request);
    else
        markContacts(a, token, run.msa.rows.front().residues, request);
    return a;
}

std::optional<ContactPrediction> ProteinKind::contacts(const KindRun& kindRun) const
{
    const auto& run = dynamic_cast<const ProteinKindRun&>(kindRun);
    const SequenceRun& out = *run.outputs;
    // The MSA Transformer predicts over the alignment's columns; ESM over the query's residues.
    std::function<Matrix(const Matrix&)> toQuery = [&run](const Matrix& m) {
        return run.axial ? inQueryNumbering(m, run.msa.queryColumns()) : m;
    };
    return ContactPrediction{toQuery(out.contacts), &out.result.attention, out.contacts.rows(), toQuery, run.msa.sequences(),
                             out.contactSource};
}

const Kind& proteinKind()
{
    static const ProteinKind kind;
    return kind;
}

} // namespace attn::kinds
