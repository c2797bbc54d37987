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

void writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    auto written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("write failed: ") + std::strerror(errno));
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
  if (fd < 0)
    throw std::runtime_error(std::string("cannot create a file: ") + std::strerror(errno));
  try {
    writeAll(fd, bytes);
    if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
      throw std::runtime_error(std::string("cannot sync: ") + std::strerror(errno));
    }
  } catch (...) {
    close(fd);
    unlink(tmpPath.c_str());
    throw;
  }
  close(fd);
  if (rename(tmpPath.c_str(), finalPath.c_str()) != 0) {
    auto reason = std::string("cannot rename: ") + std::strerror(errno);
    unlink(tmpPath.c_str());
    throw std::runtime_error(reason);
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
