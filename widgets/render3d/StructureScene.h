#pragma once
/// @file StructureScene.h
/// A protein structure in 3D, offscreen through VTK as the CT scene is: the Calpha trace as a
/// tube coloured by a value per residue (attention), broken where residues have no
/// coordinates, the top predicted contacts as lines (green when the structure has the contact,
/// red when not), and highlighted residues as spheres. A plain class (VTK stays in its .cpp).

#include "render/Colormap.h"

#include <Eigen/Core>

#include <memory>
#include <optional>
#include <vector>

namespace attn::widgets {

/// One predicted contact drawn as a line between two residues of the trace.
struct ContactLine {
    int i = 0, j = 0;   ///< Residues (indices into the trace).
    bool true_ = false; ///< The structure has this contact.
};

/// An offscreen rendering of a Calpha trace.
class StructureScene {
public:
    StructureScene(int width, int height);
    ~StructureScene();
    StructureScene(const StructureScene&) = delete;
    StructureScene& operator=(const StructureScene&) = delete;

    /// The trace: one Calpha per residue (none where a residue has no coordinates), in Angstrom.
    void setTrace(std::vector<std::optional<Eigen::Vector3d>> ca);
    /// A value per residue in [0, 1] drawn through the colormap (empty: the tube is grey).
    void setValues(std::vector<float> values, const Colormap& map);
    /// Contacts drawn as lines.
    void setContacts(std::vector<ContactLine> contacts);
    /// Residues marked with a sphere.
    void setHighlight(std::vector<int> residues);
    /// Rotates about the centre (degrees), zooms (factor > 1: closer), resets to the first view.
    void rotate(double azimuth, double elevation);
    void zoom(double factor);
    void resetCamera();
    /// Changes the image size.
    void resize(int width, int height);
    /// Renders; width x height RGB pixels, rows from the top.
    std::vector<unsigned char> render();
    int width() const;
    int height() const;

private:
    void rebuild();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace attn::widgets
