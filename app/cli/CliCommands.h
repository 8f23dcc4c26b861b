#pragma once
/// @file CliCommands.h
/// The sub-commands of attnscope-cli, each a plain function over the core.

#include "attention/AttentionStore.h"
#include "attention/HeadEdits.h"
#include "kinds/ExportArgs.h"
#include "kinds/InputChoice.h"
#include "kinds/Kind.h"
#include "interpret/Rollout.h"

#include <string>
#include <vector>

namespace attn::cli {

/// Exit statuses of attnscope-cli (also documented in the README).
enum ExitCode : int {
    Success = 0,       ///< Done.
    InternalError = 1, ///< A bug: please report it.
    UsageError = 2,    ///< Bad command line.
    BadInput = 3,      ///< A file is missing, unreadable or malformed.
    OverBudget = 4,    ///< The request exceeds a resource limit (memory budget).
};

/// Arguments of `attnscope-cli run`.
struct RunArgs {
    std::string model;           ///< Model directory.
    kinds::InputChoice choice;   ///< Input: FASTA file, record and window, or DICOM folder and series.
    std::string out;             ///< Output directory.
    std::string store = "f32";   ///< Attention store element type.
    std::vector<int> layers;     ///< Layers to keep (empty: all).
    std::string storeDir;        ///< Where the store lives on disk (empty: in memory).
    double budgetMb = 0;         ///< Memory budget for the store in MB (0: half of RAM).
    std::string fusion = "mean"; ///< Rollout head fusion.
    float discard = 0.0f;        ///< Rollout discard ratio.
    int startLayer = 0;          ///< Rollout start layer.
    std::vector<std::string> interventions; ///< --intervene L,H:KIND, each checked by parseHeadEdit.
};

/// Prints the model's family, sizes and parameter count as JSON on stdout.
void infoCommand(const std::string& modelDir);

/// Runs the model (any family) on its kind's input and writes the run directory.
void runCommand(const RunArgs& args);
/// The --intervene specs as a run's interventions (RunCommand.cpp); throws Error naming a bad one.
Interventions parseInterventions(const std::vector<std::string>& specs);
/// Prints a run's warnings on stderr (RunCommand.cpp; run and export).
void reportRunWarnings(const kinds::KindRun& run);

/// Arguments of `attnscope-cli dicom-info`.
struct DicomInfoArgs {
    std::string folder;  ///< Folder to scan (recursively).
    std::string series;  ///< Only this SeriesInstanceUID (empty: all).
    bool json = false;   ///< JSON instead of text.
};

/// Lists the DICOM series in a folder with each one's volume geometry and value range.
void dicomInfoCommand(const DicomInfoArgs& args);

/// Arguments of `attnscope-cli msa-info`.
struct MsaInfoArgs {
    std::string file;  ///< Alignment file (A3M, A2M, FASTA, Stockholm, Clustal; gzipped or not).
    bool json = false; ///< JSON instead of text.
};

/// Prints an alignment's format, size, query, Neff at 80 % identity and gap fraction.
void msaInfoCommand(const MsaInfoArgs& args);

/// Arguments of `attnscope-cli importance`.
struct ImportanceArgs {
    std::string model;           ///< Model directory, bundle or file.
    kinds::InputChoice choice;   ///< Its kind's input.
    std::string ablation = "zero"; ///< zero, mean or uniform.
    std::string out;             ///< importance.npy: float32 [layers, heads].
    bool json = false;           ///< Print the report as JSON.
    bool pruning = false;        ///< Also the cumulative pruning curves (by importance, and random orders).
    int seeds = 5;               ///< Random orders of the pruning curve.
    unsigned seed = 0;           ///< Their first seed.
    double budgetMb = 0;         ///< Memory budget of the base run in MB (0: half of RAM).
    kinds::AnnotationRequest reference; ///< Proteins: --structure (and --chain) whose contacts the metric is measured against.
};

/// Ablates every head alone and writes the change of the kind's metric as importance.npy
/// (ImportanceCommand.cpp; docs/head-importance.md).
void importanceCommand(const ImportanceArgs& args);

/// Arguments of `attnscope-cli attribute`.
struct AttributeArgs {
    std::string model;          ///< Model directory, bundle or file.
    kinds::InputChoice choice;  ///< Its kind's input.
    std::string method;         ///< attention, rollout, attn-n, globenc or alti.
    std::string out;            ///< Directory for attribution.npy and meta.json.
    double budgetMb = 0;        ///< Memory budget of the run in MB (0: half of RAM).
};

/// Writes one attribution of a run and each layer's reconstruction error (AttributeCommand.cpp;
/// docs/attributions.md).
void attributeCommand(const AttributeArgs& args);

/// Arguments of `attnscope-cli faithfulness`.
struct FaithfulnessArgs {
    std::string model;          ///< Model directory, bundle or file.
    kinds::InputChoice choice;  ///< Its kind's input.
    std::string source;         ///< attention, rollout, attn-n, globenc or alti.
    int seeds = 5;              ///< Random orders.
    unsigned seed = 0;          ///< The first one's seed.
    bool json = false;          ///< JSON instead of one line.
    double budgetMb = 0;        ///< Memory budget of the run in MB (0: half of RAM).
    kinds::AnnotationRequest reference; ///< Proteins: --structure (and --chain) whose contacts the score is measured against.
};

/// Deletion and insertion curves of a source against random orders, ERASER's AOPC bins, and the
/// sources' rank correlations (FaithfulnessCommand.cpp; docs/faithfulness.md).
void faithfulnessCommand(const FaithfulnessArgs& args);

/// Arguments of `attnscope-cli enrichment`.
struct EnrichmentArgs {
    std::string model;          ///< Model directory, bundle or file.
    kinds::InputChoice choice;  ///< Its kind's input.
    std::string annotations;    ///< The kind's annotation file (DNA: BED).
    std::string motif;          ///< DNA: an IUPAC consensus.
    std::string structure;      ///< Proteins: contacts and binding sites from this structure.
    bool bindingSites = false;  ///< Proteins: the structure's binding sites instead of its contacts.
    std::string chain;          ///< Its chain.
    int segment = 0;            ///< CT: the reference's segment or label value (0: the first).
    std::optional<double> referenceLevel; ///< CT: a dose reference's isodose level.
    float threshold = 0.3f;     ///< Confident weights are above it.
    int permutations = 1000;    ///< Shuffles of the annotations.
    unsigned seed = 0;          ///< Of the shuffles.
    bool json = false;          ///< JSON instead of a table.
    bool allRecords = false;    ///< Pool every record of the input (DNA: each FASTA record).
    double budgetMb = 0;        ///< Memory budget of the run in MB (0: half of RAM).
};

/// Per-head enrichment of confident attention on the annotations (EnrichmentCommand.cpp; docs/enrichment.md).
void enrichmentCommand(const EnrichmentArgs& args);

/// Arguments of `attnscope-cli contacts`.
struct ContactsArgs {
    std::string structure;     ///< PDB or mmCIF file (gzipped or not).
    std::string chain;         ///< Chain (default: the first protein chain).
    kinds::InputChoice choice; ///< The alignment (or FASTA) whose first row is the query, and its subsampling for the model.
    std::string model;         ///< A protein model directory (empty: the baseline alone).
    std::string out;           ///< Directory for true_contacts.npy, baseline.npy and predicted.npy (empty: none).
    bool json = false;         ///< JSON instead of text.
};

/// Maps the query onto the chain, counts its true contacts by range, and reports the precision
/// at L, L/2 and L/5 of the MI-APC baseline and, with a model, of its contact head and its best
/// single head (symmetrised, APC-corrected attention).
void contactsCommand(const ContactsArgs& args);

/// Arguments of `attnscope-cli events`.
struct EventsArgs {
    std::string input;       ///< FHIR JSON / NDJSON file or bulk-export folder, or an event table (CSV, TSV).
    std::string subject;     ///< Only this subject (empty: all).
    std::string out;         ///< events.csv to write.
    std::string columns;     ///< Column mapping "subject_id=person_id,time=a|b,..." for other tables.
    std::string mappingFile; ///< The same as a JSON file.
};

/// Reads a patient record and writes its events, sorted by time with static rows first; the load
/// report (what was skipped and why) goes to stderr.
void eventsCommand(const EventsArgs& args);

/// Arguments of `attnscope-cli export`.
using ExportArgs = kinds::ExportArgs;

/// Names of the views `export` draws: the shared attention views, then every kind's own.
const std::vector<std::string>& exportViewNames();

/// Runs the model and exports one view as a figure or its data, without a display.
void exportCommand(const ExportArgs& args, int argc, char** argv);

} // namespace attn::cli
