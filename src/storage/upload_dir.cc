#include "storage/upload_dir.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>

namespace bookstore::storage {

void prepareUploadDir(const std::string& uploadDir) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(uploadDir) / "covers", ec);
  if (ec) throw std::runtime_error("cannot create " + uploadDir + "/covers: " + ec.message());
}

int64_t availableBytes(const std::string& uploadDir) {
  struct statvfs fs {};
  if (statvfs(uploadDir.c_str(), &fs) != 0) return -1;
  // EFS reports exabytes: saturate instead of overflowing.
  const uint64_t unit = fs.f_frsize > 0 ? fs.f_frsize : 1;
  constexpr auto kMost = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (fs.f_bavail > kMost / unit) return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(fs.f_bavail * unit);
}

std::string probeWritable(const std::string& uploadDir, int64_t minFreeBytes) {
  if (minFreeBytes > 0) {
    // One system call: cheap enough for every health check.
    const int64_t available = availableBytes(uploadDir);
    if (available >= 0 && available < minFreeBytes) {
      return "no space left: " + std::to_string(available / 1024) + " KiB free, a cover may take " +
             std::to_string(minFreeBytes / 1024) + " KiB";
    }
  }
  std::string pattern = uploadDir + "/.health-XXXXXX";
  int fd = mkstemp(pattern.data());
  if (fd < 0) return std::string("cannot create a file: ") + std::strerror(errno);
  std::string problem;
  if (write(fd, "ok", 2) != 2) problem = std::string("cannot write: ") + std::strerror(errno);
  if (problem.empty() && fsync(fd) != 0)
    problem = std::string("cannot sync: ") + std::strerror(errno);
  close(fd);
  unlink(pattern.c_str());
  return problem;
}

}  // namespace bookstore::storage
