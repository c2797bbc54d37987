// services::SingleFlight: one reader per key at a time, the others wait for
// it and are woken on every way out of the leader's turn.
#include <gtest/gtest.h>

#include <drogon/utils/coroutine.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "services/single_flight.h"

namespace bookstore::services {
namespace {

using namespace std::chrono_literals;

struct Counts {
  std::atomic<int> leaders{0};
  std::atomic<int> followers{0};
  std::atomic<int> inside{0};
  std::atomic<int> mostInside{0};
};

drogon::Task<void> takeTurn(SingleFlight& flights, std::string key, Counts& counts, bool fail) {
  SingleFlight::Turn turn(flights, std::move(key));
  const bool lead = co_await turn;
  if (!lead) {
    ++counts.followers;
    co_return;
  }
  ++counts.leaders;
  const int now = ++counts.inside;
  int most = counts.mostInside.load();
  while (now > most && !counts.mostInside.compare_exchange_weak(most, now)) {
  }
  std::this_thread::sleep_for(300ms);  // the read
  --counts.inside;
  if (fail) throw std::runtime_error("the read failed");
}

// Eight requests miss one key together: one reads, seven wait for it.
void burst(SingleFlight& flights, const std::string& key, Counts& counts, bool leaderFails) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if (i > 0) std::this_thread::sleep_for(20ms);  // the first one leads
      try {
        drogon::sync_wait(takeTurn(flights, key, counts, leaderFails));
      } catch (const std::runtime_error&) {
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

TEST(SingleFlight, OneReaderPerKeyTheOthersWait) {
  SingleFlight flights;
  Counts counts;
  burst(flights, "total:", counts, false);
  EXPECT_EQ(counts.leaders, 1);
  EXPECT_EQ(counts.followers, 7);
  // The key is free again: the next miss reads.
  Counts again;
  burst(flights, "total:", again, false);
  EXPECT_EQ(again.leaders, 1);
}

TEST(SingleFlight, DifferentKeysDoNotWaitForEachOther) {
  SingleFlight flights;
  Counts counts;
  std::thread a([&] { drogon::sync_wait(takeTurn(flights, "ids:20:1:", counts, false)); });
  std::thread b([&] { drogon::sync_wait(takeTurn(flights, "ids:20:2:", counts, false)); });
  a.join();
  b.join();
  EXPECT_EQ(counts.leaders, 2);
  EXPECT_EQ(counts.mostInside, 2);
}

TEST(SingleFlight, AFailedReadStillWakesTheWaiters) {
  SingleFlight flights;
  Counts counts;
  burst(flights, "total:sombra ", counts, true);  // returns: nobody is left waiting
  EXPECT_EQ(counts.leaders, 1);
  EXPECT_EQ(counts.followers, 7);
  Counts again;
  burst(flights, "total:sombra ", again, false);
  EXPECT_EQ(again.leaders, 1);
}

}  // namespace
}  // namespace bookstore::services
