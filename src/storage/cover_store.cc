#include "storage/cover_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "domain/tokens.h"

namespace bookstore::storage {
namespace {

// The exception for a failed call: StorageFull when the reason is a lack of
// space, so callers can tell the client (507) instead of failing (500).
[[noreturn]] void fail(const std::string& what, int error) {
  const std::string message = what + ": " + std::strerror(error);
  if (error == ENOSPC || error == EDQUOT) throw StorageFull(message);
  throw std::runtime_error(message);
}

void writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    auto written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
}

}  // namespace

std::string CoverStore::save(std::string_view bytes, domain::ImageType type) const {
  const std::string name = domain::randomToken(16) + "." + std::string(domain::extensionFor(type));
  const std::string finalPath = dir_ + "/" + name;
  std::string tmpPath = dir_ + "/.upload-XXXXXX";
  int fd = mkstemp(tmpPath.data());
  if (fd < 0) fail("cannot create a file", errno);
  try {
    writeAll(fd, bytes);
    if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) fail("cannot sync", errno);
  } catch (...) {
    close(fd);  // the first error is the one reported
    unlink(tmpPath.c_str());
    throw;
  }
  // close() can report a delayed write error (NFS, EFS): the file is not whole.
  if (close(fd) != 0) {
    const int error = errno;
    unlink(tmpPath.c_str());
    fail("cannot close", error);
  }
  if (rename(tmpPath.c_str(), finalPath.c_str()) != 0) {
    const int error = errno;
    unlink(tmpPath.c_str());
    fail("cannot rename", error);
  }
  // The rename itself must survive a crash too.
  int dirFd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
  if (dirFd >= 0) {
    fsync(dirFd);
    close(dirFd);
  }
  return name;
}

void CoverStore::remove(const std::string& name) const {
  if (!domain::isCoverFileName(name)) return;
  unlink((dir_ + "/" + name).c_str());
}

}  // namespace bookstore::storage
