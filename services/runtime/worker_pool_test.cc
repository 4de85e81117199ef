#include "runtime/worker_pool.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace picket {

TEST_CASE("worker pool: every submitted task runs once, on a worker thread", "[worker_pool]") {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> ran;
  std::set<std::thread::id> threads;
  {
    WorkerPool pool(3);
    for (int i = 0; i < 20; ++i) {
      pool.Submit("t" + std::to_string(i), [&, i] {
        std::lock_guard<std::mutex> lock(mu);
        ran.push_back(i);
        threads.insert(std::this_thread::get_id());
        cv.notify_all();
      });
    }
    std::unique_lock<std::mutex> lock(mu);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return ran.size() == 20; }));
  }
  CHECK(std::set<int>(ran.begin(), ran.end()).size() == 20);
  CHECK_FALSE(threads.count(std::this_thread::get_id()));  // never on the caller's thread
}

TEST_CASE("worker pool: a queued task can be withdrawn, a running one cannot", "[worker_pool]") {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> ran;
  bool release = false;
  {
    WorkerPool pool(1);
    for (const char* key : {"a", "b", "c"}) {
      pool.Submit(key, [&, key] {
        std::unique_lock<std::mutex> lock(mu);
        ran.push_back(key);
        cv.notify_all();
        cv.wait(lock, [&] { return release; });  // the one worker stays busy
      });
    }
    {
      std::unique_lock<std::mutex> lock(mu);
      REQUIRE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return ran.size() == 1; }));
    }
    CHECK_FALSE(pool.Withdraw("a"));  // running
    CHECK(pool.Withdraw("b"));        // still queued
    CHECK_FALSE(pool.Withdraw("b"));  // already withdrawn
    CHECK_FALSE(pool.Withdraw("zz"));
    CHECK(pool.Queued() == 1);
    {
      std::lock_guard<std::mutex> lock(mu);
      release = true;
    }
    cv.notify_all();
    std::unique_lock<std::mutex> lock(mu);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return ran.size() == 2; }));
  }
  CHECK(ran == std::vector<std::string>{"a", "c"});
}

TEST_CASE("worker pool: Stop drops queued tasks and waits for the running one", "[worker_pool]") {
  std::mutex mu;
  std::condition_variable cv;
  int started = 0, finished = 0;
  bool release = false;
  WorkerPool pool(1);
  for (int i = 0; i < 3; ++i) {
    pool.Submit("t", [&] {
      std::unique_lock<std::mutex> lock(mu);
      ++started;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
      ++finished;
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return started == 1; }));
  }
  std::thread stopper([&] { pool.Stop(); });
  // Stop drops the queue first, then joins: release the running task once it has.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (pool.Queued() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  CHECK(pool.Queued() == 0);
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  stopper.join();
  CHECK(started == 1);
  CHECK(finished == 1);
  pool.Submit("late", [&] { ++started; });  // after Stop: dropped
  CHECK(started == 1);
}

}  // namespace picket
