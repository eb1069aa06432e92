#pragma once
// Text files written atomically (nn::data::atomic_write: <path>.tmp, fsync, rename), and the output-directory check.
#include <string>

namespace xgrad::trainer {

/// Throws DataError naming the path when the file cannot be written.
void write_file_atomic(const std::string& path, const std::string& contents);
/// Creates `dir` (and parents) and checks that a file can be created in it; throws OutputError
/// "output directory '<dir>' is not writable: <reason>".
void ensure_writable_directory(const std::string& dir);

}  // namespace xgrad::trainer
