#include "io/Nifti.h"

#include "util/Error.h"

#include <nifti1_io.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>

namespace attn {
namespace {

struct FreeImage {
    void operator()(nifti_image* image) const { nifti_image_free(image); }
};
using ImagePtr = std::unique_ptr<nifti_image, FreeImage>;

const Eigen::Matrix3d kLpsToRas = Eigen::Vector3d(-1, -1, 1).asDiagonal();

template <typename T>
void convert(const void* data, std::size_t n, std::vector<float>& out)
{
    const auto* typed = static_cast<const T*>(data);
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<float>(typed[i]);
}

/// The voxels as float32, whatever scalar type the file stores (label maps are often uint8 or
/// int16); false for other types (complex, RGB).
bool toFloat(const nifti_image& image, std::vector<float>& out)
{
    const std::size_t n = image.nvox;
    switch (image.datatype) {
    case NIFTI_TYPE_UINT8: convert<std::uint8_t>(image.data, n, out); return true;
    case NIFTI_TYPE_INT8: convert<std::int8_t>(image.data, n, out); return true;
    case NIFTI_TYPE_UINT16: convert<std::uint16_t>(image.data, n, out); return true;
    case NIFTI_TYPE_INT16: convert<std::int16_t>(image.data, n, out); return true;
    case NIFTI_TYPE_UINT32: convert<std::uint32_t>(image.data, n, out); return true;
    case NIFTI_TYPE_INT32: convert<std::int32_t>(image.data, n, out); return true;
    case NIFTI_TYPE_FLOAT32: convert<float>(image.data, n, out); return true;
    case NIFTI_TYPE_FLOAT64: convert<double>(image.data, n, out); return true;
    default: return false;
    }
}

/// A 3D volume: three dimensions, or four with one time point.
bool isThreeDimensional(const nifti_image& image)
{
    return image.ndim == 3 || (image.ndim == 4 && image.nt == 1);
}

} // namespace

namespace {

/// The voxels in the image's own type: float32, or integer labels (uint8 up to 255, else int16).
void fillVoxels(nifti_image& image, const Volume& v, bool labels)
{
    const std::size_t n = v.values.size();
    if (!labels) {
        std::memcpy(image.data, v.values.data(), n * sizeof(float));
        return;
    }
    image.intent_code = NIFTI_INTENT_LABEL;
    for (std::size_t i = 0; i < n; ++i) {
        const long label = std::lround(v.values[i]);
        if (image.datatype == NIFTI_TYPE_UINT8)
            static_cast<std::uint8_t*>(image.data)[i] = static_cast<std::uint8_t>(label);
        else
            static_cast<std::int16_t*>(image.data)[i] = static_cast<std::int16_t>(label);
    }
}

} // namespace

void writeNifti(const std::filesystem::path& path, const Volume& v, bool labels)
{
    const std::string name = path.string();
    const auto endsWith = [&](const std::string& suffix) {
        return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    check<IoError>(endsWith(".nii") || endsWith(".nii.gz"), name + ": a NIfTI file name ends in .nii or .nii.gz");
    { // nifticlib reports a file it cannot open on stderr itself: find out first, and say it our way
        std::ofstream probe(path, std::ios::binary);
        check<IoError>(probe.good(), path.string() + ": cannot write the NIfTI file (cannot create it)");
    }
    const auto& g = v.geometry;
    int dims[8] = {3, g.size[0], g.size[1], g.size[2], 1, 1, 1, 1};
    const float top = v.values.empty() ? 0.0f : *std::max_element(v.values.begin(), v.values.end());
    const int type = !labels ? NIFTI_TYPE_FLOAT32 : top <= 255.0f ? NIFTI_TYPE_UINT8 : NIFTI_TYPE_INT16;
    ImagePtr image(nifti_make_new_nim(dims, type, 0));
    check<IoError>(image != nullptr, path.string() + ": cannot create a NIfTI image");
    image->data = std::malloc(v.values.size() * static_cast<std::size_t>(image->nbyper)); // nifti_image_free releases it
    check<IoError>(image->data != nullptr, path.string() + ": out of memory");
    fillVoxels(*image, v, labels);
    image->dx = image->pixdim[1] = static_cast<float>(g.spacing.x());
    image->dy = image->pixdim[2] = static_cast<float>(g.spacing.y());
    image->dz = image->pixdim[3] = static_cast<float>(g.spacing.z());
    image->xyz_units = NIFTI_UNITS_MM;
    const Eigen::Matrix3d m = kLpsToRas * g.direction * g.spacing.asDiagonal();
    const Eigen::Vector3d t = kLpsToRas * g.origin;
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c)
            image->sto_xyz.m[r][c] = static_cast<float>(m(r, c));
        image->sto_xyz.m[r][3] = static_cast<float>(t(r));
    }
    image->sto_xyz.m[3][0] = image->sto_xyz.m[3][1] = image->sto_xyz.m[3][2] = 0.0f;
    image->sto_xyz.m[3][3] = 1.0f;
    image->sform_code = NIFTI_XFORM_SCANNER_ANAT;
    image->qform_code = NIFTI_XFORM_SCANNER_ANAT;
    image->qto_xyz = image->sto_xyz;
    nifti_mat44_to_quatern(image->qto_xyz, &image->quatern_b, &image->quatern_c, &image->quatern_d, &image->qoffset_x,
                           &image->qoffset_y, &image->qoffset_z, nullptr, nullptr, nullptr, &image->qfac);
    check<IoError>(nifti_set_filenames(image.get(), name.c_str(), 0, 1) == 0, name + ": not a NIfTI file name (.nii or .nii.gz)");
    nifti_image_write(image.get());
    std::error_code ec;
    check<IoError>(std::filesystem::exists(path, ec), name + ": cannot write the NIfTI file");
}

Volume readNifti(const std::filesystem::path& path)
{
    const std::string name = path.string();
    nifti_set_debug_level(0); // our messages name the file and the problem; nifticlib's would go to stderr
    ImagePtr image(nifti_image_read(name.c_str(), 0)); // the header: the voxels only once their size is checked
    check<IoError>(image != nullptr, name + ": not a readable NIfTI file");
    check<FormatError>(isThreeDimensional(*image), name + ": not a 3D volume (" + std::to_string(image->ndim) + " dimensions)");
    const std::uint64_t bytes = static_cast<std::uint64_t>(image->nvox) * static_cast<std::uint64_t>(image->nbyper);
    const std::uint64_t fileBytes = std::filesystem::file_size(path);
    check<FormatError>(bytes <= fileBytes * (nifti_is_gzfile(name.c_str()) ? 1032 : 1), // 1032: deflate's largest ratio
                       name + ": claims " + std::to_string(image->nx) + " x " + std::to_string(image->ny) + " x "
                           + std::to_string(image->nz) + " voxels (" + std::to_string(bytes) + " bytes), but the file has "
                           + std::to_string(fileBytes) + " bytes");
    check<FormatError>(nifti_image_load(image.get()) == 0 && image->data, name + ": voxel data is missing or truncated");
    Volume v;
    v.geometry.size = {image->nx, image->ny, image->nz};
    Eigen::Matrix3d m;
    Eigen::Vector3d t;
    const mat44& toPatient = image->sform_code > 0 ? image->sto_xyz : image->qto_xyz; // qform, or pixdim alone, without an sform
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c)
            m(r, c) = toPatient.m[r][c];
        t(r) = toPatient.m[r][3];
    }
    m = kLpsToRas * m; // back to LPS (the flip is its own inverse)
    v.geometry.origin = kLpsToRas * t;
    for (int c = 0; c < 3; ++c) {
        v.geometry.spacing(c) = m.col(c).norm();
        check<FormatError>(std::isfinite(v.geometry.spacing(c)) && v.geometry.spacing(c) > 0 && t.allFinite(),
                           name + ": its voxel-to-patient transform is degenerate or not finite");
        v.geometry.direction.col(c) = m.col(c) / v.geometry.spacing(c);
    }
    check<FormatError>(toFloat(*image, v.values), name + ": voxels of type " + nifti_datatype_string(image->datatype)
                                                     + " (supported: 8 to 32-bit integers, float32, float64)");
    if (image->scl_slope != 0 && std::isfinite(image->scl_slope) && std::isfinite(image->scl_inter)
        && (image->scl_slope != 1 || image->scl_inter != 0))
        for (float& value : v.values)
            value = static_cast<float>(value * image->scl_slope + image->scl_inter);
    return v;
}

} // namespace attn
