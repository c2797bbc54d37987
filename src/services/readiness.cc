#include "services/readiness.h"

#include "storage/upload_dir.h"

namespace bookstore::services {

void Readiness::checkDatabase(std::function<void(std::string)> done) const {
  if (!db_->connected()) {
    done("unreachable");
    return;
  }
  db_->ping([done](bool answered) { done(answered ? "" : "failing"); });
}

std::string Readiness::checkUploads() const {
  return storage::probeWritable(uploadDir_);
}

}  // namespace bookstore::services
