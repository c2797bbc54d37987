#include "storage/upload_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace bookstore::storage {

void prepareUploadDir(const std::string& uploadDir) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(uploadDir) / "covers", ec);
  if (ec) throw std::runtime_error("cannot create " + uploadDir + "/covers: " + ec.message());
}

std::string probeWritable(const std::string& uploadDir) {
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
