// Readiness (what /health checks) against a live database and real folders
// (service_fixture.h).
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <string>

#include "service_fixture.h"

namespace bookstore::test {
namespace {

class ServiceReadiness : public ServiceTest {
 protected:
  // checkDatabase answers through a callback, on a database thread.
  std::string checkDatabase(const services::Readiness& readiness) {
    auto answer = std::make_shared<std::promise<std::string>>();
    auto future = answer->get_future();
    readiness.checkDatabase([answer](std::string problem) { answer->set_value(problem); });
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      return "(no answer)";
    }
    return future.get();
  }
};

TEST_F(ServiceReadiness, LiveDatabaseAnswers) {
  EXPECT_TRUE(readiness_->databaseConnected());
  EXPECT_EQ(checkDatabase(*readiness_), "");
}

TEST_F(ServiceReadiness, ClosedDatabaseIsReported) {
  // Twice: a pool connection still opening when Drogon's closeAll() runs (the
  // test closes right after the fixture opened) is disconnected but then
  // rejoins the idle set as it reports being open; the first close has
  // waited for that report, so the second one clears it for good.
  db_->close();
  db_->close();
  EXPECT_FALSE(readiness_->databaseConnected());
  EXPECT_NE(checkDatabase(*readiness_), "");
}

TEST_F(ServiceReadiness, WritableUploadFolderPasses) {
  EXPECT_EQ(readiness_->checkUploads(), "");
  // The probe leaves nothing behind.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator(config_.uploadDir)) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);  // covers/
}

TEST_F(ServiceReadiness, MissingUploadFolderIsReported) {
  services::Readiness missing(db_, folder_.path() + "/no-such-folder");
  EXPECT_NE(missing.checkUploads(), "");

  const auto file = folder_.path() + "/a-file";
  std::ofstream(file) << "not a folder";
  services::Readiness notAFolder(db_, file);
  EXPECT_NE(notAFolder.checkUploads(), "");
}

TEST_F(ServiceReadiness, ReadOnlyUploadFolderIsReported) {
  std::string folder = folder_.path() + "/read-only";
  ASSERT_EQ(mkdir(folder.c_str(), 0555), 0);
  ASSERT_EQ(chmod(folder.c_str(), 0555), 0);
  if (access(folder.c_str(), W_OK) == 0) {
    // Root ignores file modes: /sys refuses new files even to root.
    folder = "/sys";
  }
  services::Readiness readOnly(db_, folder);
  EXPECT_NE(readOnly.checkUploads(), "");
}

}  // namespace
}  // namespace bookstore::test
