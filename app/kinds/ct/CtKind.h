#pragma once
/// @file CtKind.h
/// CT studies: a DICOM series (DCMTK) run through any VolumeModel (ct_encoder, MONAI's ViT and
/// UNETR); tokens are the model's grid of patches, placed in patient space; its own figures are
/// the slices and the 3D view with the attention overlay (and a segmenting model's labels).

#include "interpret/CtOverlay.h"
#include "kinds/Kind.h"
#include "kinds/ct/StudyReference.h"
#include "dicom/DicomSeries.h"
#include "model/VolumeModel.h"

#include <cstdint>
#include <mutex>
#include <vector>

namespace attn::kinds {

/// A CT run: the study and the model's input grid, for the overlay.
struct CtKindRun : KindRun {
    std::shared_ptr<const VolumeModel> model; ///< The model that ran.
    RegionRequest request;                 ///< Where its region was asked to be, and whether the whole study was segmented.
    std::vector<std::string> steps;        ///< What was done to the study before the network saw it.
    std::shared_ptr<const Volume> labels;  ///< A segmenting model's labels on the study's grid (0 outside its region), or null.
    std::vector<std::string> labelNames;   ///< Their names, by label value.
    std::shared_ptr<const Volume> study;   ///< The study it ran on.
    VolumeGeometry inputGeometry;          ///< The model's input grid in patient space.
    std::string studyName;                 ///< Series description (or UID).
    StudyIdentity identity;                ///< The study's series and frame of reference.
    mutable std::once_flag bodyOnce;         ///< drawnOverlay makes the study's body mask once ...
    mutable std::vector<std::uint8_t> body;  ///< ... here (BodyMask.h), the first time an overlay is drawn.
};

/// An overlay as the views draw it: inside the body only (the air outside it is not drawn; the
/// numbers, the agreement and --overlay-out keep every voxel). The run's body mask is made on
/// the first call (from any thread, once), not with the run: a run that is never drawn needs none.
std::shared_ptr<const Volume> drawnOverlay(const CtKindRun& run, const Volume& overlay);
/// The label of an overlay of `source` as drawn, saying what is masked.
std::string drawnOverlayLabel(const OverlaySource& source, const PatchLayout& layout);

/// The box a run's model saw, to draw on the slices: a region model's region, or the input grid of a
/// model whose preprocessing cropped the study (a bundle's CropForeground or CenterSpatialCrop);
/// nullopt when the model saw the whole study.
std::optional<VolumeGeometry> seenBox(const CtKindRun& run);

/// Adds a study's memory to a plan, from its headers alone: its slices decoded and the volume
/// built from them (both held at the end of loading), and an overlay on its grid.
void planStudy(MemoryPlan& plan, const DicomSeriesInfo& series);

/// The CT kind.
class CtKind : public Kind {
public:
    std::string name() const override { return "CT"; }
    bool runs(const Model& model) const override;
    std::string opens() const override { return "folders of DICOM files (CT, MR)"; }
    bool accepts(const std::filesystem::path& path) const override;
    std::vector<Demo> demos() const override;
    std::unique_ptr<Workspace> createWorkspace(WorkspaceHost& host) const override;
    std::unique_ptr<KindRun> run(const std::shared_ptr<const Model>& model, const InputChoice& choice,
                                 const RunOptions& options) const override;
    std::unique_ptr<Predictor> predictor(const std::shared_ptr<const Model>& model, const KindRun& run) const override;
    /// The reference mask (SEG, NIfTI, a dose level) as positions: the image tokens whose patch holds one
    /// of its voxels (each input voxel belongs to the nearest token centre); shuffled within shells of
    /// distance from the token grid's centre.
    TokenAnnotations annotations(const KindRun& run, const AnnotationRequest& request) const override;
    std::vector<std::string> figureViews() const override { return {"slices", "volume", "agreement"}; }
    /// The run directory's files, with segmentation.nii.gz (labels on the study's grid) for a
    /// segmenting model and no logits.npy for a model without a classifier.
    void writeRun(const std::filesystem::path& directory, const Model& model, const KindRun& run, const RunDescription& description,
                  const RolloutOptions& rollout) const override;
    void exportFigure(const std::string& view, const KindRun& run, widgets::ExplorerState& state,
                      const ExportArgs& args) const override;

    /// Runs a CT model on a loaded study (the window's path: the study is already open).
    static std::unique_ptr<CtKindRun> runOn(std::shared_ptr<const VolumeModel> model, std::shared_ptr<const Volume> study,
                                             const std::string& studyName, const RegionRequest& request, const RunOptions& options);
};

} // namespace attn::kinds
