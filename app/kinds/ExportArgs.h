#pragma once
/// @file ExportArgs.h
/// What `attnscope-cli export` was asked for: the run, the selection, the figure and its
/// style. The shared attention views read the first part, a kind's own figures the rest.

#include "kinds/InputChoice.h"

#include <optional>
#include <string>
#include <vector>

namespace attn::kinds {

/// Arguments of `attnscope-cli export`.
struct ExportArgs {
    std::string model;             ///< Model directory.
    InputChoice choice;            ///< Input, record, window, series.
    std::string view = "map";      ///< A shared view (grid, map, tokens, stats) or a kind's own.
    int layer = 0;                 ///< Selected layer.
    int head = 0;                  ///< Selected head.
    int token = -1;                ///< Selected query token (-1: [CLS]).
    int subtractLayer = -1;        ///< Map view: subtract this layer's head (-1: none).
    int subtractHead = -1;         ///< Map view: subtract this head.
    std::string out;               ///< Figure (.png, .svg, .pdf) or data (.csv, .npy).
    int dpi = 300;                 ///< PNG resolution.
    double budgetMb = 0;           ///< Memory budget of the whole job in MB (0: half of RAM).
    std::string colormap;          ///< Empty: viridis for attention views, magma for CT overlays.
    bool logScale = false;         ///< Logarithmic colour scale.
    std::string fusion = "mean";   ///< Rollout head fusion.
    float discard = 0.0f;          ///< Rollout discard ratio.
    int startLayer = 0;            ///< Rollout start layer.
    std::string overlay = "rollout"; ///< CT: overlay source, "rollout" or "LAYER,HEAD".
    std::string overlayOut;        ///< CT: write the overlay on the study grid as NIfTI (.nii / .nii.gz).
    double opacity = 0.5;          ///< CT: overlay opacity, 0 to 1.
    double threshold = 0.2;        ///< CT: overlay threshold, fraction of its maximum.
    std::string preset = "glass";  ///< CT, --view volume: transfer-function preset.
    std::string reference;         ///< CT: a DICOM SEG, RT dose or NIfTI mask on the study (outlined; --view agreement).
    int segment = 0;               ///< CT: the reference's segment or label (0: the first).
    std::optional<double> referenceLevel; ///< CT: a dose reference's isodose level (default: half its maximum).
    std::string structure;         ///< Proteins: a PDB or mmCIF structure of the query (true contacts, --view structure).
    std::string chain;             ///< Proteins: its chain (default: the one the query matches best).
    std::string contactSource = "contact-head"; ///< Proteins, --view contacts / structure: contact-head, head (the selected one) or baseline.
    std::string align;             ///< Patient records, timeline: day 0 at the first event of this code ("": the first anticoagulant).
    int column = -1;               ///< Proteins: the alignment column (1-based) selected: column attention, the msa view's first column.
    std::vector<std::string> interventions; ///< --intervene L,H:KIND: the run's changed heads (the figure is captioned with them).
};

} // namespace attn::kinds
