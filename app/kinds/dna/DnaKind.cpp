#include "kinds/dna/DnaKind.h"

#include "export/FigureExport.h"
#include "kinds/Resources.h"
#include "io/BinaryFile.h"
#include "kinds/dna/DnaWorkspace.h"
#include "kinds/dna/SequenceInput.h"
#include "track/SequenceTrackView.h"

#include <cctype>
#include <chrono>

namespace attn::kinds {

bool DnaKind::runs(const Model& model) const
{
    return dynamic_cast<const EncoderModel*>(&model) != nullptr;
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

Demo DnaKind::demo() const
{
    return {"DNA: splice-site classifier on held-out sequences", app::resourcePath("models/splice").toStdString(),
            app::resourcePath("models/splice/examples.fa").toStdString()};
}

std::unique_ptr<Workspace> DnaKind::createWorkspace(WorkspaceHost& host) const
{
    return std::make_unique<DnaWorkspace>(*this, host);
}

std::unique_ptr<KindRun> DnaKind::run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                      const RunOptions& options) const
{
    const auto& encoder = dynamic_cast<const EncoderModel&>(*model);
    const SelectedInput in = selectInput(choice, encoder);
    std::unique_ptr<KindRun> out = runOn(encoder, in.sequence, in.name, options);
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

std::unique_ptr<KindRun> DnaKind::runOn(const EncoderModel& model, const std::string& sequence, const std::string& name,
                                        const RunOptions& options)
{
    const Encoding encoding = model.tokenizer().encode(sequence);
    auto out = std::make_unique<KindRun>();
    const auto start = std::chrono::steady_clock::now();
    auto result = std::make_shared<const RunResult>(model.run(encoding.ids, {}, options));
    out->description.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out->data = widgets::sequenceRunData(model, encoding, sequence, QString::fromStdString(name), std::move(result));
    return out;
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
