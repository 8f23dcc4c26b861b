#pragma once
/// @file DcmtkSetup.h
/// Process-wide DCMTK setup shared by the DICOM readers (internal to core/dicom).

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <string>

namespace attn {

/// DCMTK's DcmFileFormat::loadFile, with large elements left on disk, that never throws: DCMTK
/// 3.6.7 lets C++ exceptions escape on some malformed files (std::out_of_range from its string
/// checks of a directory record; found by fuzz_dicomdir). Returns "" when the file loaded, else
/// why not (DCMTK's status text or the exception's).
std::string loadWithDcmtk(DcmFileFormat& file, const std::string& path, E_TransferSyntax syntax = EXS_Unknown,
                          E_FileReadMode mode = ERM_autoDetect);

/// Registers DCMTK's decoders (JPEG, JPEG-LS, RLE) once per process, quiets its logger (errors
/// are ours to report) and stops parsing after PixelData.
void initialiseDcmtk();

} // namespace attn
