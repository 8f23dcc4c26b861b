#pragma once
/// @file DcmtkSetup.h
/// Process-wide DCMTK setup shared by the DICOM readers (internal to core/dicom).

namespace attn {

/// Registers DCMTK's decoders (JPEG, JPEG-LS, RLE) once per process, quiets its logger (errors
/// are ours to report) and stops parsing after PixelData.
void initialiseDcmtk();

} // namespace attn
