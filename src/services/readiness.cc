#include "services/readiness.h"

#include <chrono>

#include "storage/upload_dir.h"

namespace bookstore::services {
namespace {

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

bool Readiness::databaseAdmits() const {
  if (!db_->connected()) return false;  // Drogon is reconnecting: nothing to queue behind
  if (!down_.load(std::memory_order_acquire)) return true;
  probeIfStale();
  return false;
}

void Readiness::databaseFailed() const {
  // Closed for kReprobeSeconds at least: the requests behind this one fail
  // fast instead of each waiting for the same timeout.
  lastProbeNanos_.store(nowNanos(), std::memory_order_relaxed);
  down_.store(true, std::memory_order_release);
}

void Readiness::databaseSlow() const {
  probeIfStale();
}

std::string Readiness::databaseState() const {
  probeIfStale();
  if (!db_->connected()) return "unreachable";
  return down_.load(std::memory_order_acquire) ? "failing" : std::string(kDatabaseOk);
}

void Readiness::probeIfStale() const {
  const auto staleAfter = static_cast<int64_t>(kReprobeSeconds * 1e9);
  if (nowNanos() - lastProbeNanos_.load(std::memory_order_relaxed) >= staleAfter) probe();
}

void Readiness::probe() const {
  if (probing_.exchange(true, std::memory_order_acq_rel)) return;  // one at a time
  lastProbeNanos_.store(nowNanos(), std::memory_order_relaxed);
  if (!db_->connected()) {
    down_.store(true, std::memory_order_release);
    probing_.store(false, std::memory_order_release);
    return;
  }
  db_->ping([weak = weak_from_this()](bool answered) {
    const auto self = weak.lock();
    if (!self) return;
    self->down_.store(!answered, std::memory_order_release);
    self->lastProbeNanos_.store(nowNanos(), std::memory_order_relaxed);
    self->probing_.store(false, std::memory_order_release);
  });
}

std::string Readiness::checkUploads() const {
  return storage::probeWritable(uploadDir_, minFreeUploadBytes_);
}

}  // namespace bookstore::services
