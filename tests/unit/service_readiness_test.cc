// Readiness (what /health checks) against a live database and real folders
// (service_fixture.h).
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "db/errors.h"
#include "service_fixture.h"
#include "services/failures.h"

namespace bookstore::test {
namespace {

class ServiceReadiness : public ServiceTest {
 protected:
  // Waits (bounded) for the gate's probe, which answers on a database thread.
  bool eventuallyAdmits(const services::Readiness& readiness) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (readiness.databaseAdmits()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
};

TEST_F(ServiceReadiness, LiveDatabaseAdmitsRequests) {
  EXPECT_TRUE(readiness_->databaseAdmits());
  EXPECT_EQ(readiness_->databaseState(), "ok");
}

TEST_F(ServiceReadiness, AFailureClosesTheGateUntilAProbeAnswers) {
  readiness_->databaseFailed();
  // Closed at once: the requests behind it answer 503 without waiting.
  EXPECT_FALSE(readiness_->databaseAdmits());
  // The database does answer, so the probe opens it again.
  EXPECT_TRUE(eventuallyAdmits(*readiness_));
  EXPECT_EQ(readiness_->databaseState(), "ok");
}

TEST_F(ServiceReadiness, ATimeoutAloneLeavesTheGateOpenWhileTheDatabaseAnswers) {
  readiness_->databaseSlow();
  // Open at once: one slow query is no outage.
  EXPECT_TRUE(readiness_->databaseAdmits());
  // The probe it started answers; the gate is still open after it.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(readiness_->databaseAdmits());
  EXPECT_EQ(readiness_->databaseState(), "ok");
}

TEST_F(ServiceReadiness, TimeoutsAreToldFromLostConnections) {
  const drogon::orm::TimeoutError timeout("Timeout");
  const drogon::orm::Failure locked("database is locked");
  const drogon::orm::BrokenConnection lost;
  const drogon::orm::Failure gone("MySQL server has gone away");
  const drogon::orm::Failure constraint("UNIQUE constraint failed: user.email");
  for (const std::exception* e : {static_cast<const std::exception*>(&timeout),
                                  static_cast<const std::exception*>(&locked)}) {
    EXPECT_TRUE(services::isUnavailable(*e)) << e->what();
    EXPECT_TRUE(services::isTimeout(*e)) << e->what();
  }
  for (const std::exception* e :
       {static_cast<const std::exception*>(&lost), static_cast<const std::exception*>(&gone)}) {
    EXPECT_TRUE(services::isUnavailable(*e)) << e->what();
    EXPECT_FALSE(services::isTimeout(*e)) << e->what();
  }
  EXPECT_FALSE(services::isUnavailable(constraint));
  EXPECT_FALSE(services::isTimeout(constraint));
  EXPECT_TRUE(services::isUnavailable(db::DatabaseUnavailable()));
  EXPECT_FALSE(services::isTimeout(db::DatabaseUnavailable()));
}

TEST_F(ServiceReadiness, ClosedDatabaseIsReported) {
  // Twice: a pool connection still opening when Drogon's closeAll() runs (the
  // test closes right after the fixture opened) is disconnected but then
  // rejoins the idle set as it reports being open; the first close has
  // waited for that report, so the second one clears it for good.
  db_->close();
  db_->close();
  EXPECT_FALSE(readiness_->databaseAdmits());
  EXPECT_EQ(readiness_->databaseState(), "unreachable");
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
