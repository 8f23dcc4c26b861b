#include "interpret/ModelPredictors.h"
#include "interpret/SequenceMarks.h"
#include "kinds/dna/DnaKind.h"

#include "export/FigureExport.h"
#include "kinds/Resources.h"
#include "io/BinaryFile.h"
#include "kinds/dna/DnaWorkspace.h"
#include "kinds/dna/SequenceInput.h"
#include "rundir/RunExport.h"
#include "track/SequenceTrackView.h"

#include <cctype>
#include <chrono>

namespace attn::kinds {

bool DnaKind::runs(const Model& model) const
{
    const auto* sequence = dynamic_cast<const SequenceModel*>(&model);
    return sequence && sequence->letters() == Letters::Dna;
}

bool DnaKind::accepts(const std::filesystem::path& path) const
{
    // A FASTA header, then sequence lines whose letters are nucleotides (IUPAC codes): an
    // alignment (gaps, A3M's insertions) or a protein is not DNA.
    const std::string head = readFileHead(path, 8192);
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || head[first] != '>')
        return false;
    static const std::string nucleotides = "ACGTUNRYKMSWBDHVacgtunrykmswbdhv*";
    bool header = true;
    for (std::size_t i = first; i < head.size(); ++i) {
        const char c = head[i];
        if (c == '\n')
            header = false;
        else if (!header && c == '>')
            header = true;
        else if (!header && (std::isalpha(static_cast<unsigned char>(c)) || c == '-' || c == '.') && nucleotides.find(c) == std::string::npos)
            return false; // a letter no nucleotide has, or an alignment gap (other stray characters: the reader names the line)
    }
    return true;
}

std::vector<Demo> DnaKind::demos() const
{
    return {{"DNA: splice-site classifier on held-out sequences", app::resourcePath("models/splice").toStdString(),
            app::resourcePath("models/splice/examples.fa").toStdString(), {}}};
}

std::unique_ptr<Workspace> DnaKind::createWorkspace(WorkspaceHost& host) const
{
    return std::make_unique<DnaWorkspace>(*this, host);
}

std::unique_ptr<KindRun> DnaKind::run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                      const RunOptions& options) const
{
    const auto sequenceModel = modelAs<SequenceModel>(model, "the model", "a DNA sequence model");
    const SelectedInput in = selectInput(choice, *sequenceModel);
    std::unique_ptr<DnaKindRun> out = runOn(sequenceModel, in.encoding, in.sequence, in.name, options);
    out->record = in.record.name;
    out->firstBase = choice.windowStart > 0 ? choice.windowStart - 1 : 0;
    RunDescription& d = out->description;
    d.inputPath = choice.input;
    d.recordName = in.name;
    d.recordDescription = in.record.description;
    d.unknownTokens = in.encoding.unknownCount;
    if (out->data.perBase()) {
        d.kmerSpans = in.encoding.spans;
        d.bases = static_cast<int>(in.sequence.size());
    }
    return out;
}

std::unique_ptr<Predictor> DnaKind::predictor(const std::shared_ptr<const Model>& model, const KindRun& run) const
{
    const auto& dna = dynamic_cast<const DnaKindRun&>(run);
    return sequencePredictor(modelAs<SequenceModel>(model, "model", "a sequence model"), dna.outputs->result.ids);
}

TokenAnnotations DnaKind::annotations(const KindRun& kindRun, const AnnotationRequest& request) const
{
    const auto& run = dynamic_cast<const DnaKindRun&>(kindRun);
    check(!request.file.empty() || !request.motif.empty(), "DNA enrichment needs --annotations FILE.bed or --motif CONSENSUS");
    std::vector<char> bases(run.sequence.size(), 0);
    if (!request.file.empty())
        markIntervals(bases, readBed(request.file), run.record, run.firstBase);
    if (!request.motif.empty())
        markMotif(bases, run.sequence, request.motif);
    TokenAnnotations a;
    a.positions = tokensCovering(bases, run.encoding);
    a.eligible.resize(run.encoding.spans.size());
    for (std::size_t t = 0; t < a.eligible.size(); ++t)
        a.eligible[t] = run.encoding.spans[t].begin >= 0; // not [CLS], [SEP], padding
    return a;
}

std::vector<InputChoice> DnaKind::eachRecord(const InputChoice& choice) const
{
    std::vector<InputChoice> out;
    for (const FastaRecord& r : readFasta(choice.input)) {
        out.push_back(choice);
        out.back().record = r.name;
    }
    return out;
}

std::unique_ptr<DnaKindRun> DnaKind::runOn(const std::shared_ptr<const SequenceModel>& model, const Encoding& encoding,
                                           const std::string& sequence, const std::string& name, const RunOptions& options)
{
    auto out = std::make_unique<DnaKindRun>();
    out->encoding = encoding;
    out->sequence = sequence;
    out->record = name;
    const auto start = std::chrono::steady_clock::now();
    out->outputs = std::make_shared<const SequenceRun>(model->run(encoding.ids, options));
    out->description.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::shared_ptr<const RunResult> result(out->outputs, &out->outputs->result);
    out->data = widgets::sequenceRunData(*model, encoding, sequence, QString::fromStdString(name), std::move(result));
    return out;
}

void DnaKind::writeRun(const std::filesystem::path& directory, const Model& model, const KindRun& kindRun,
                       const RunDescription& description, const RolloutOptions& rollout) const
{
    const auto& run = dynamic_cast<const DnaKindRun&>(kindRun);
    const Matrix& logits = run.outputs->logits;
    RunFiles files;
    if (logits.size() > 0)
        files.arrays.push_back({"logits.npy", {logits.rows(), logits.cols()}, logits.data(),
                                "float32 [T, vocab]: masked-LM logits of every token, T as in tokens.tsv"});
    writeRunDirectory(directory, model, run.data.axis, run.outputs->result, description, rollout, files);
}

void DnaKind::exportFigure(const std::string& view, const KindRun& run, widgets::ExplorerState& state,
                           const ExportArgs& args) const
{
    if (view != "track")
        return Kind::exportFigure(view, run, state, args);
    widgets::SequenceTrackView track(&state);
    track.setRolloutOptions({parseHeadFusion(args.fusion), args.discard, args.startLayer});
    track.resize(track.figureSize());
    widgets::exportAny(track, QString::fromStdString(args.out), args.dpi);
}

const Kind& dnaKind()
{
    static const DnaKind kind;
    return kind;
}

} // namespace attn::kinds
