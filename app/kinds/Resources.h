#pragma once
/// @file Resources.h
/// Where the bundled demo models and data are (each kind names its demo: Kind::demo): $ATTNSCOPE_RESOURCES, else
/// <executable>/../share/attnscope (an installed copy), else the source tree's resources/.

#include <QString>

namespace attn::app {

/// Absolute path of a file or folder under the resources directory ("" if none is found).
QString resourcePath(const QString& relative);

} // namespace attn::app
