/// attnscope-cli: the same work as the GUI, without a display.

#include "cli/CliCommands.h"
#include "interpret/Attributions.h"
#include "kinds/KindRegistry.h"
#include "render/Colormap.h"
#include "render3d/VolumeScene.h"
#include "util/Error.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <utility>
#include <vector>

namespace {

using namespace attn::cli;

/// How an alignment's rows are chosen (run, export, contacts --model).
void addAlignmentOptions(CLI::App* command, attn::kinds::InputChoice& choice)
{
    command->add_option("--max-sequences", choice.maxSequences, "Alignments: at most this many sequences, the query kept (default: all)")
        ->check(CLI::PositiveNumber);
    command->add_option("--subsample", choice.subsample, "Alignments: how --max-sequences chooses them (default: diverse)")
        ->check(CLI::IsMember({"first", "diverse", "random"}));
    command->add_option("--seed", choice.seed, "Alignments: the seed of --subsample random");
}

/// Which patient of a record and how a table's columns are read (run, export).
void addRecordOptions(CLI::App* command, attn::kinds::InputChoice& choice)
{
    command->add_option("--subject", choice.subject, "Patient records: the subject (a Patient id, or a subject_id; default: the first)");
    command->add_option("--columns", choice.columns, "Patient records, event tables: which columns give the MEDS ones (as for events)");
    command->add_option("--mapping", choice.mappingFile, "Patient records, event tables: the same mapping as a JSON file");
}

/// Where a region model looks in a study, and whether a segmenting model covers all of it (run, export).
void addRegionOptions(CLI::App* command, attn::kinds::InputChoice& choice)
{
    command
        ->add_option_function<std::vector<int>>(
            "--center", [&choice](const std::vector<int>& v) { choice.centre = std::array<int, 3>{v[0], v[1], v[2]}; },
            "CT, models that see a region (UNETR): the study voxel I,J,K (column, row, slice, from 0) the region is centred on "
            "(default: the study's centre)")
        ->delimiter(',')
        ->expected(3)
        ->check(CLI::NonNegativeNumber);
    command->add_flag("--sliding-window", choice.slidingWindow,
                      "CT, segmenting models (UNETR): segment the whole study by MONAI's sliding windows (the bundle's inferer settings)");
}

/// --intervene L,H:KIND, repeatable (run, export); a malformed one is a usage error.
void addInterventionOption(CLI::App* command, std::vector<std::string>& specs)
{
    command
        ->add_option("--intervene", specs,
                     "Change a head (repeatable; layers and heads from 0, as layer_XX.npy): L,H:zero (z = 0 before the output "
                     "projection), L,H:mean (z replaced by its mean over the input's tokens), L,H:uniform (1/n over the keys), "
                     "L,H:T=x (logits / x before the softmax), L,H:scale=x, L,H:copy=G (head G's weights); "
                     "L,H,column:KIND for an MSA Transformer's column attention")
        ->check([](const std::string& spec) {
            try {
                attn::parseHeadEdit(spec);
                return std::string();
            } catch (const attn::Error& e) {
                return std::string(e.what());
            }
        });
}

CLI::App* addRunCommand(CLI::App& app, RunArgs& args)
{
    CLI::App* run = app.add_subcommand("run", "Run a model on its input (a FASTA record, a DICOM series, a protein alignment, a patient record) and write the numbers");
    run->add_option("--model", args.model, "Model: a directory (config.json and its weights), a MONAI bundle folder or a fair-esm .pt file")->required();
    run->add_option("--input", args.choice.input, "Input: a FASTA file, a DICOM folder for a CT model, an alignment for a protein model, a FHIR or event-table record for an EHR model")->required();
    run->add_option("--series", args.choice.series, "CT: the series (SeriesInstanceUID) of the DICOM folder (default: the largest)");
    run->add_option("--record", args.choice.record, "Record name (default: the first)");
    run->add_option("--window", args.choice.windowStart, "First base (1-based) of the window run when the record is longer than the model takes")
        ->check(CLI::PositiveNumber);
    run->add_option("--window-length", args.choice.windowLength, "Bases in the window (default: as many as the model takes)")
        ->check(CLI::PositiveNumber);
    addAlignmentOptions(run, args.choice);
    addRecordOptions(run, args.choice);
    addRegionOptions(run, args.choice);
    run->add_option("--out", args.out, "Output directory")->required();
    run->add_option("--store", args.store, "Attention store element type")->check(CLI::IsMember({"f32", "f16"}));
    run->add_option("--layers", args.layers, "Layers whose attention is kept (default: all)")->delimiter(',');
    run->add_option("--store-dir", args.storeDir, "Keep the attention store in temporary files in this directory (on a disk, "
                                                  "not tmpfs) instead of memory: each layer leaves memory once written")
        ->check(CLI::ExistingDirectory);
    run->add_option("--memory-budget-mb", args.budgetMb, "Memory budget of the whole run in MB: the study, the model's "
                                                          "activations, the attention store, the overlay (default: half of RAM)")
        ->check(CLI::NonNegativeNumber);
    run->add_option("--rollout-fusion", args.fusion, "Head fusion of the rollout")->check(CLI::IsMember({"mean", "max", "min"}));
    run->add_option("--rollout-discard", args.discard, "Fraction of lowest weights discarded per layer")->check(CLI::Range(0.0, 0.99));
    run->add_option("--rollout-start", args.startLayer, "First layer of the rollout")->check(CLI::NonNegativeNumber);
    addInterventionOption(run, args.interventions);
    return run;
}

/// export's CT options: the series, the overlay and its style, the volume preset, the reference.
void addCtExportOptions(CLI::App* e, ExportArgs& args)
{
    e->add_option("--series", args.choice.series, "CT: the series (SeriesInstanceUID) of the DICOM folder given as --input");
    e->add_option("--overlay", args.overlay, "CT: overlay source, rollout or LAYER,HEAD (attention from [CLS])");
    e->add_option("--overlay-out", args.overlayOut, "CT: also write the overlay on the study's grid as NIfTI (.nii, .nii.gz)");
    e->add_option("--opacity", args.opacity, "CT: overlay opacity")->check(CLI::Range(0.0, 1.0));
    e->add_option("--threshold", args.threshold, "CT: overlay threshold, fraction of its maximum")->check(CLI::Range(0.0, 1.0));
    std::vector<std::string> presets;
    for (const auto& p : attn::widgets::volumePresets())
        presets.push_back(p.second);
    e->add_option("--preset", args.preset, "CT, --view volume: transfer-function preset")->check(CLI::IsMember(presets));
    e->add_option("--reference", args.reference, "CT: a DICOM SEG, RT dose or NIfTI mask drawn on the study: outlined in "
                                                 "--view slices, compared with the attention by --view agreement (TSV)");
    e->add_option("--segment", args.segment, "CT: the reference's segment number or label value (default: the first)")
        ->check(CLI::PositiveNumber);
    e->add_option("--reference-level", args.referenceLevel, "CT: a dose reference's isodose level (default: half its maximum)");
}

CLI::App* addExportCommand(CLI::App& app, ExportArgs& args)
{
    CLI::App* e = app.add_subcommand("export", "Run a model and export one view as a figure (PNG, SVG, PDF) or its data (CSV, NPY)");
    e->add_option("--model", args.model, "Model: a directory (config.json and its weights), a MONAI bundle folder or a fair-esm .pt file")->required();
    e->add_option("--input", args.choice.input, "Input: a FASTA file, a DICOM folder for a CT model, an alignment, a patient record")->required();
    e->add_option("--record", args.choice.record, "Record name (default: the first)");
    e->add_option("--window", args.choice.windowStart, "First base (1-based) of the window for long records")->check(CLI::PositiveNumber);
    e->add_option("--window-length", args.choice.windowLength, "Bases in the window (default: as many as the model takes)")
        ->check(CLI::PositiveNumber);
    e->add_option("--view", args.view, "View to export: grid, map, tokens, stats for every model; track for DNA; slices, volume, agreement for CT; msa, column-attention, contacts, structure for proteins; timeline, time-gap for patient records")->required()->check(CLI::IsMember(exportViewNames()));
    e->add_option("--layer", args.layer, "Selected layer");
    e->add_option("--head", args.head, "Selected head");
    e->add_option("--token", args.token, "Selected query token (default: [CLS])");
    e->add_option("--subtract-layer", args.subtractLayer, "Map: show the selected head minus this layer's ...");
    e->add_option("--subtract-head", args.subtractHead, "... head, on a diverging colormap");
    e->add_option("--out", args.out, "Output file: .png, .svg, .pdf (figure) or .csv, .npy (data)")->required();
    e->add_option("--dpi", args.dpi, "PNG resolution")->check(CLI::Range(24, 2400));
    e->add_option("--memory-budget-mb", args.budgetMb, "Memory budget of the whole job in MB (default: half of RAM)")
        ->check(CLI::PositiveNumber);
    e->add_option("--colormap", args.colormap, "Colormap (default: viridis; magma for CT overlays)")->check(CLI::IsMember(attn::Colormap::names()));
    e->add_flag("--log", args.logScale, "Logarithmic colour scale");
    e->add_option("--intervene", args.interventions, "Change a head in the run, as run --intervene (L,H:KIND, repeatable): the figure "
                                                     "shows the intervened run, captioned with it");
    e->add_option("--rollout-fusion", args.fusion, "Head fusion of the rollout")->check(CLI::IsMember({"mean", "max", "min"}));
    e->add_option("--rollout-discard", args.discard, "Fraction of lowest weights discarded per layer")->check(CLI::Range(0.0, 0.99));
    e->add_option("--rollout-start", args.startLayer, "First layer of the rollout")->check(CLI::NonNegativeNumber);
    addCtExportOptions(e, args);
    addAlignmentOptions(e, args.choice);
    addRecordOptions(e, args.choice);
    addRegionOptions(e, args.choice);
    e->add_option("--align", args.align, "Patient records, timeline: day 0 at the first event of this code (default: the first anticoagulant, "
                                         "else the first event)");
    e->add_option("--structure", args.structure, "Proteins: a PDB or mmCIF structure of the query (contacts, structure)");
    e->add_option("--chain", args.chain, "Proteins: the structure's chain (default: the best match to the query)");
    e->add_option("--contacts-source", args.contactSource, "Proteins, contacts and structure: contact-head, head (--layer, --head) or baseline (MI-APC)")
        ->check(CLI::IsMember({"contact-head", "head", "baseline"}));
    e->add_option("--column", args.column, "Proteins: the selected alignment column (1-based): column-attention, and where msa starts")
        ->check(CLI::PositiveNumber);
    return e;
}

CLI::App* addContactsCommand(CLI::App& app, ContactsArgs& args)
{
    CLI::App* contacts = app.add_subcommand("contacts", "An alignment's query on a structure: true contacts, and the precision "
                                                        "of the coevolution baseline (MI-APC)");
    contacts->add_option("--structure", args.structure, "PDB or mmCIF file (gzipped or not)")->required();
    contacts->add_option("--chain", args.chain, "Chain (default: the first protein chain)");
    contacts->add_option("--input", args.choice.input, "Alignment or FASTA whose first sequence is the query")->required();
    contacts->add_option("--model", args.model, "A protein model (msa_transformer or esm): the precision of its contact head and best head");
    addAlignmentOptions(contacts, args.choice);
    contacts->add_option("--out", args.out, "Directory for true_contacts.npy, baseline.npy and predicted.npy (query numbering)");
    contacts->add_flag("--json", args.json, "Print JSON");
    return contacts;
}

/// What the commands that run a model as `run` does share (importance, enrichment): the model, the
/// input and its record or series, the memory budget.
void addModelRunOptions(CLI::App* c, std::string& model, attn::kinds::InputChoice& choice, double& budgetMb)
{
    c->add_option("--model", model, "Model: a directory, a MONAI bundle folder or a fair-esm .pt file")->required();
    c->add_option("--input", choice.input, "Input, as for run")->required();
    c->add_option("--record", choice.record, "Record name (default: the first)");
    c->add_option("--series", choice.series, "CT: the series (SeriesInstanceUID) of the DICOM folder");
    c->add_option("--memory-budget-mb", budgetMb, "Memory budget of the run in MB (default: half of RAM)")->check(CLI::NonNegativeNumber);
}

/// --structure and --chain of the commands whose metric a protein run may take from a structure.
void addReferenceOptions(CLI::App* c, attn::kinds::AnnotationRequest& reference)
{
    c->add_option("--structure", reference.structure,
                  "Proteins: a PDB or mmCIF structure of the query; the prediction is then its contact head's long-range P@L "
                  "against the structure's contacts, not the masked-LM likelihood");
    c->add_option("--chain", reference.chain, "The structure's chain (default: the first)");
}

CLI::App* addImportanceCommand(CLI::App& app, ImportanceArgs& args)
{
    CLI::App* c = app.add_subcommand("importance", "Ablate every head alone and write how much the prediction changes "
                                                   "(float32 [layers, heads]): KL for classifiers, the kind's metric otherwise");
    addModelRunOptions(c, args.model, args.choice, args.budgetMb);
    c->add_option("--ablation", args.ablation, "How a head is removed (default: zero)")->check(CLI::IsMember({"zero", "mean", "uniform"}));
    c->add_option("--out", args.out, "importance.npy to write")->required();
    c->add_flag("--json", args.json, "Print the report as JSON: the metric, every head's change and details, "
                                     "Spearman's correlation with the head statistics");
    c->add_flag("--pruning", args.pruning, "Also the cumulative pruning curves: heads removed 10 % at a time by importance, "
                                           "and in random orders (--seeds, from --pruning-seed)");
    c->add_option("--seeds", args.seeds, "Random orders of the pruning curve (default: 5)")->check(CLI::PositiveNumber);
    c->add_option("--pruning-seed", args.seed, "First seed of the random orders (default: 0)");
    addReferenceOptions(c, args.reference);
    addAlignmentOptions(c, args.choice);
    addRecordOptions(c, args.choice);
    addRegionOptions(c, args.choice);
    return c;
}

CLI::App* addAttributeCommand(CLI::App& app, AttributeArgs& args)
{
    CLI::App* c = app.add_subcommand("attribute", "Write an attribution of the input: raw attention or Attn-N per layer, or the "
                                                  "rollout of attention, GlobEnc or ALTI from the first token, with each layer's "
                                                  "reconstruction error");
    addModelRunOptions(c, args.model, args.choice, args.budgetMb);
    c->add_option("--method", args.method, "attention, rollout, attn-n, globenc or alti")
        ->required()
        ->check(CLI::IsMember(attn::attributionMethodNames()));
    c->add_option("--out", args.out, "Directory for attribution.npy (layers.npy for globenc and alti) and meta.json")->required();
    addAlignmentOptions(c, args.choice);
    addRecordOptions(c, args.choice);
    addRegionOptions(c, args.choice);
    return c;
}

CLI::App* addFaithfulnessCommand(CLI::App& app, FaithfulnessArgs& args)
{
    CLI::App* c = app.add_subcommand("faithfulness", "Deletion and insertion curves of an attribution source against random orders, "
                                                     "ERASER's comprehensiveness and sufficiency, and the sources' rank correlations");
    addModelRunOptions(c, args.model, args.choice, args.budgetMb);
    c->add_option("--source", args.source, "attention, rollout, attn-n, globenc or alti")
        ->required()
        ->check(CLI::IsMember(attn::attributionMethodNames()));
    c->add_option("--seeds", args.seeds, "Random orders (default: 5)")->check(CLI::PositiveNumber);
    c->add_option("--order-seed", args.seed, "The first random order's seed (default: 0)");
    c->add_flag("--json", args.json, "Print JSON: the curves, their AUCs, the AOPC bins, the random orders' band, Spearman between sources");
    addReferenceOptions(c, args.reference);
    addAlignmentOptions(c, args.choice);
    addRecordOptions(c, args.choice);
    addRegionOptions(c, args.choice);
    return c;
}

CLI::App* addEnrichmentCommand(CLI::App& app, EnrichmentArgs& args)
{
    CLI::App* c = app.add_subcommand("enrichment", "Per head: the share of its attention above a threshold on what the annotations mark, "
                                                   "the background share, permutation p-values and Benjamini-Hochberg q-values");
    addModelRunOptions(c, args.model, args.choice, args.budgetMb);
    c->add_option("--annotations", args.annotations, "DNA: a BED file (record name, 0-based start, exclusive end) of marked bases; "
                                                     "proteins: a list of the query's residues (1-based numbers or ranges such as 10-15); "
                                                     "EHR: a TSV of code pairs; CT: a DICOM SEG, RT dose or NIfTI mask on the study");
    c->add_option("--segment", args.segment, "CT: the reference's segment number or label value (default: the first)")->check(CLI::PositiveNumber);
    c->add_option("--reference-level", args.referenceLevel, "CT: a dose reference's isodose level (default: half its maximum)");
    c->add_option("--motif", args.motif, "DNA: mark every occurrence of this IUPAC consensus, on either strand");
    c->add_option("--structure", args.structure, "Proteins: contacts and binding sites from this PDB or mmCIF structure");
    c->add_option("--chain", args.chain, "Proteins: the structure's chain (default: the first)");
    c->add_flag("--binding-sites", args.bindingSites, "Proteins, with --structure: the residues its binding sites list (PDB SITE records, "
                                                      "mmCIF _struct_site_gen) as positions, instead of its contacts as pairs");
    c->add_option("--threshold", args.threshold, "Weights above it count (default: 0.3)")->check(CLI::Range(0.0, 1.0));
    c->add_option("--permutations", args.permutations, "Shuffles of the annotations for the p-values (default: 1000)")
        ->check(CLI::PositiveNumber);
    c->add_option("--seed", args.seed, "Seed of the shuffles (default: 0)");
    c->add_flag("--json", args.json, "Print JSON: {\"heads\": [{layer, head, share, background, count, p, q}, ...]}");
    c->add_flag("--all-records", args.allRecords, "Pool every record of the input, each run on its own (DNA: every FASTA record)");
    c->add_option("--window", args.choice.windowStart, "First base (1-based) of the window for long records")->check(CLI::PositiveNumber);
    c->add_option("--window-length", args.choice.windowLength, "Bases in the window")->check(CLI::PositiveNumber);
    // the alignment options but --seed, which is the shuffles' here
    c->add_option("--max-sequences", args.choice.maxSequences, "Alignments: at most this many sequences, the query kept (default: all)")
        ->check(CLI::PositiveNumber);
    c->add_option("--subsample", args.choice.subsample, "Alignments: how --max-sequences chooses them (default: diverse)")
        ->check(CLI::IsMember({"first", "diverse", "random"}));
    return c;
}

CLI::App* addEventsCommand(CLI::App& app, EventsArgs& args)
{
    CLI::App* events = app.add_subcommand("events", "Read a patient record (FHIR R4 JSON or NDJSON, or an event table) and "
                                                    "write its events as MEDS-shaped CSV");
    events->add_option("--input", args.input, "FHIR Bundle, resource or NDJSON file (or a bulk-export folder), or a CSV / TSV event table")->required();
    events->add_option("--subject", args.subject, "Only this subject (a Patient id, or a subject_id)");
    events->add_option("--out", args.out, "events.csv to write")->required();
    events->add_option("--columns", args.columns, "Tables: which columns give the MEDS ones, "
                                                        "e.g. subject_id=person_id,time=measurement_datetime|measurement_date,code=measurement_concept_id,code_prefix=OMOP");
    events->add_option("--mapping", args.mappingFile, "Tables: the same mapping as a JSON file");
    return events;
}

/// Every subcommand's arguments, filled by parsing.
struct CommandArgs {
    std::string infoModel;
    RunArgs run;
    ExportArgs exports;
    DicomInfoArgs dicom;
    MsaInfoArgs msa;
    ContactsArgs contacts;
    EventsArgs events;
    ImportanceArgs importance;
    EnrichmentArgs enrichment;
    AttributeArgs attribute;
    FaithfulnessArgs faithfulness;
};

CLI::App* addInfoCommands(CLI::App& app, CommandArgs& a, CLI::App** dicom)
{
    CLI::App* info = app.add_subcommand("info", "Print a model's family, sizes and parameter count as JSON");
    info->add_option("MODEL_DIR", a.infoModel, "Model directory")->required();
    *dicom = app.add_subcommand("dicom-info", "List the DICOM series in a folder with their geometry and values");
    (*dicom)->add_option("DIR", a.dicom.folder, "Folder of DICOM files (searched recursively)")->required();
    (*dicom)->add_option("--series", a.dicom.series, "Only the series with this SeriesInstanceUID");
    (*dicom)->add_flag("--json", a.dicom.json, "Print JSON");
    return info;
}

CLI::App* addMsaInfoCommand(CLI::App& app, MsaInfoArgs& args)
{
    CLI::App* msa = app.add_subcommand("msa-info", "Describe an alignment: format, sequences, columns, query, Neff, gaps");
    msa->add_option("FILE", args.file, "A3M, A2M, aligned FASTA, Stockholm or Clustal file (gzipped or not)")->required();
    msa->add_flag("--json", args.json, "Print JSON");
    return msa;
}

/// Every subcommand, with what runs it once parsed.
std::vector<std::pair<CLI::App*, std::function<void()>>> addCommands(CLI::App& app, CommandArgs& a, int argc, char** argv)
{
    CLI::App* dicom = nullptr;
    CLI::App* info = addInfoCommands(app, a, &dicom);
    return {{info, [&a] { infoCommand(a.infoModel); }},
            {addRunCommand(app, a.run), [&a] { runCommand(a.run); }},
            {addExportCommand(app, a.exports), [&a, argc, argv] { exportCommand(a.exports, argc, argv); }},
            {dicom, [&a] { dicomInfoCommand(a.dicom); }},
            {addMsaInfoCommand(app, a.msa), [&a] { msaInfoCommand(a.msa); }},
            {addContactsCommand(app, a.contacts), [&a] { contactsCommand(a.contacts); }},
            {addEventsCommand(app, a.events), [&a] { eventsCommand(a.events); }},
            {addImportanceCommand(app, a.importance), [&a] { importanceCommand(a.importance); }},
            {addEnrichmentCommand(app, a.enrichment), [&a] { enrichmentCommand(a.enrichment); }},
            {addAttributeCommand(app, a.attribute), [&a] { attributeCommand(a.attribute); }},
            {addFaithfulnessCommand(app, a.faithfulness), [&a] { faithfulnessCommand(a.faithfulness); }}};
}

int dispatch(int argc, char** argv)
{
    CLI::App app{"attnscope-cli: explore multi-head attention without a display"};
    app.require_subcommand(1);
    CommandArgs a;
    const auto commands = addCommands(app, a, argc, argv);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e); // prints help or the usage error
        return code == 0 ? Success : UsageError;
    }
    for (const std::string* input : {&a.run.choice.input, &a.exports.choice.input, &a.contacts.choice.input, &a.events.input, &a.msa.file,
                                     &a.importance.choice.input, &a.enrichment.choice.input, &a.enrichment.annotations, &a.attribute.choice.input,
                                     &a.faithfulness.choice.input, &a.importance.reference.structure, &a.faithfulness.reference.structure})
        if (!input->empty())
            attn::kinds::requireContent(*input); // "FILE is empty", before any reader guesses at nothing
    for (const auto& [command, action] : commands)
        if (command->parsed())
            action();
    return Success;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        return dispatch(argc, argv);
    } catch (const attn::ResourceError& e) {
        std::cerr << "attnscope-cli: " << e.what() << "\n";
        return OverBudget;
    } catch (const attn::Error& e) {
        std::cerr << "attnscope-cli: " << e.what() << "\n";
        return BadInput;
    } catch (const std::bad_alloc&) {
        std::cerr << "attnscope-cli: out of memory\n";
        return OverBudget;
    } catch (const std::exception& e) {
        std::cerr << "attnscope-cli: internal error: " << e.what() << "\n";
        return InternalError;
    }
}
