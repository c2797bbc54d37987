#pragma once

#include <cstdint>
#include <string>

namespace bookstore::storage {

// Creates UPLOAD_DIR and its covers/ folder; throws std::runtime_error naming
// the folder when that is impossible.
void prepareUploadDir(const std::string& uploadDir);

// Proves the folder is writable the way uploads use it: it has room for a
// file of `minFreeBytes` (statvfs: the bytes available to this process), and
// a temporary file is created, written, synced and removed. Blocking: call
// off the I/O threads. Returns an empty string when writable, else the
// reason.
std::string probeWritable(const std::string& uploadDir, int64_t minFreeBytes = 0);

// The bytes of the folder's file system that this process may still write
// (statvfs f_bavail × f_frsize); -1 when it cannot be read.
int64_t availableBytes(const std::string& uploadDir);

}  // namespace bookstore::storage
