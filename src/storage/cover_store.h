#pragma once

#include <string>
#include <string_view>

#include "domain/image_type.h"

namespace bookstore::storage {

// Cover files under UPLOAD_DIR/covers, shared by every replica (EFS in AWS).
// All calls block on the file system: run them through ops::runBlocking.
class CoverStore {
 public:
  explicit CoverStore(std::string uploadDir) : dir_(std::move(uploadDir) + "/covers") {}

  // Writes the image under a new random name atomically (temporary file in the
  // same folder, fsync, rename, fsync of the folder) and returns the name.
  // Throws std::runtime_error when the file system refuses.
  std::string save(std::string_view bytes, domain::ImageType type) const;

  // Removes a cover; names the server did not give are ignored.
  void remove(const std::string& name) const;

 private:
  std::string dir_;
};

}  // namespace bookstore::storage
