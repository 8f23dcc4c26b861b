#pragma once
/// @file Resources.h
/// Where the bundled demo models and data are: $ATTNSCOPE_RESOURCES, else
/// <executable>/../share/attnscope (an installed copy), else the source tree's resources/.

#include <QString>

namespace attn::app {

/// Absolute path of a file or folder under the resources directory ("" if none is found).
QString resourcePath(const QString& relative);

/// A bundled demo: a model folder and data to open with it (a FASTA file or a DICOM folder).
/// Empty strings when the resources are missing.
struct Demo {
    QString model;
    QString data;
};

/// The demo the app opens when started without files: the splice-site model folder and its
/// held-out example sequences.
Demo splicingDemo();

/// The CT demo: the model trained on synthetic lesions and the real head CT study.
Demo ctDemo();

} // namespace attn::app
