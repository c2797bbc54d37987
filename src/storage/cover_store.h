#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "domain/image_type.h"

namespace bookstore::storage {

// The upload folder has no room (ENOSPC, EDQUOT): nothing was kept.
class StorageFull : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Cover files under UPLOAD_DIR/covers, shared by every replica (EFS in AWS).
// All calls block on the file system: run them through ops::runBlocking.
class CoverStore {
 public:
  explicit CoverStore(std::string uploadDir) : dir_(std::move(uploadDir) + "/covers") {}

  // Writes the image under a new random name atomically (temporary file in the
  // same folder, fsync, rename, fsync of the folder) and returns the name.
  // Throws StorageFull when the file system has no room left (the temporary
  // file removed: nothing stays behind), std::runtime_error when it refuses
  // for another reason.
  std::string save(std::string_view bytes, domain::ImageType type) const;

  // Removes a cover; names the server did not give are ignored.
  void remove(const std::string& name) const;

 private:
  std::string dir_;
};

}  // namespace bookstore::storage
