#pragma once

#include <string>

namespace bookstore::storage {

// Creates UPLOAD_DIR and its covers/ folder; throws std::runtime_error naming
// the folder when that is impossible.
void prepareUploadDir(const std::string& uploadDir);

// Proves the folder is writable the way uploads use it: a temporary file is
// created, written, synced and removed. Blocking: call off the I/O threads.
// Returns an empty string when writable, else the reason.
std::string probeWritable(const std::string& uploadDir);

}  // namespace bookstore::storage
