#pragma once
/// @file CliCommands.h
/// The sub-commands of attnscope-cli, each a plain function over the core.

#include "attention/AttentionStore.h"
#include "cli/InputSelection.h"
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
    InputChoice choice;          ///< FASTA file, record and window.
    std::string out;             ///< Output directory.
    std::string store = "f32";   ///< Attention store element type.
    std::vector<int> layers;     ///< Layers to keep (empty: all).
    double budgetMb = 0;         ///< Memory budget for the store in MB (0: half of RAM).
    std::string fusion = "mean"; ///< Rollout head fusion.
    float discard = 0.0f;        ///< Rollout discard ratio.
    int startLayer = 0;          ///< Rollout start layer.
};

/// Prints the model's family, sizes and parameter count as JSON on stdout.
void infoCommand(const std::string& modelDir);

/// Runs the model on a FASTA record and writes the run directory.
void runCommand(const RunArgs& args);

/// Arguments of `attnscope-cli dicom-info`.
struct DicomInfoArgs {
    std::string folder;  ///< Folder to scan (recursively).
    std::string series;  ///< Only this SeriesInstanceUID (empty: all).
    bool json = false;   ///< JSON instead of text.
};

/// Lists the DICOM series in a folder with each one's volume geometry and value range.
void dicomInfoCommand(const DicomInfoArgs& args);

/// Arguments of `attnscope-cli export`.
struct ExportArgs {
    std::string model;             ///< Model directory.
    InputChoice choice;            ///< FASTA file, record and window.
    std::string view = "map";      ///< grid, map, tokens, track or stats.
    int layer = 0;                 ///< Selected layer.
    int head = 0;                  ///< Selected head.
    int token = -1;                ///< Selected query token (-1: [CLS]).
    int subtractLayer = -1;        ///< Map view: subtract this layer's head (-1: none).
    int subtractHead = -1;         ///< Map view: subtract this head.
    std::string out;               ///< Figure (.png, .svg, .pdf) or data (.csv, .npy).
    int dpi = 300;                 ///< PNG resolution.
    std::string colormap;          ///< Empty: viridis for attention views, magma for CT overlays.
    bool logScale = false;
    std::string fusion = "mean";   ///< Rollout head fusion (track view).
    float discard = 0.0f;          ///< Rollout discard ratio (track view).
    int startLayer = 0;            ///< Rollout start layer (track view).
    std::string series;            ///< CT: SeriesInstanceUID in the DICOM folder (default: the largest).
    std::string overlay = "rollout"; ///< CT: overlay source, "rollout" or "LAYER,HEAD".
    std::string overlayOut;        ///< CT: write the overlay on the study grid as NIfTI (.nii / .nii.gz).
    double opacity = 0.5;          ///< CT: overlay opacity, 0 to 1.
    double threshold = 0.2;        ///< CT: overlay threshold, fraction of its maximum.
    std::string preset = "glass";   ///< CT, --view volume: transfer-function preset.
};

/// Names of the views `export` draws.
const std::vector<std::string>& exportViewNames();

/// Runs the model and exports one view as a figure or its data, without a display.
void exportCommand(const ExportArgs& args, int argc, char** argv);

} // namespace attn::cli
