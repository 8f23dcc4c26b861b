#pragma once
/// @file Error.h
/// The single exception hierarchy of attnscope and the check() helper.
/// Errors are thrown in the core and caught only at boundaries (main, the CLI,
/// the job runner). Every message names the file and what is wrong with it.

#include <stdexcept>
#include <string>

namespace attn {

/// Base of every error attnscope reports to a person.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A file is malformed: bad magic, bad header, bad JSON, bad record.
class FormatError : public Error {
public:
    using Error::Error;
};

/// A DICOM file or series that cannot be read or built (unsupported transfer syntax,
/// inconsistent geometry, ...).
class DicomError : public FormatError {
public:
    using FormatError::FormatError;
};

/// A tensor or input has the wrong shape, or shapes do not agree.
class ShapeError : public Error {
public:
    using Error::Error;
};

/// A file cannot be opened or read.
class IoError : public Error {
public:
    using Error::Error;
};

/// The request is valid but exceeds a resource limit (e.g. the attention store budget).
class ResourceError : public Error {
public:
    using Error::Error;
};

/// Throws E(message) unless cond holds.
template <class E = Error>
inline void check(bool cond, const std::string& message)
{
    if (!cond)
        throw E(message);
}

} // namespace attn
