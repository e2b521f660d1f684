#pragma once
// A background thread that runs `tick` every `interval`, or at once when woken: the shape of the
// event feed and the outbox dispatcher. The destructor stops the thread and waits for it; a tick
// in progress finishes first. Thread-safety: Wake() from any thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace motcua::storage {

class WakeableLoop {
 public:
  WakeableLoop(std::chrono::milliseconds interval, std::function<void()> tick)
      : interval_(interval), tick_(std::move(tick)), thread_([this] { Run(); }) {}
  ~WakeableLoop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  WakeableLoop(const WakeableLoop&) = delete;
  WakeableLoop& operator=(const WakeableLoop&) = delete;

  void Wake() {
    {
      std::lock_guard lock(mu_);
      woken_ = true;
    }
    cv_.notify_one();
  }

 private:
  void Run() {
    while (true) {
      {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, interval_, [&] { return woken_ || stopping_; });
        if (stopping_) return;
        woken_ = false;
      }
      tick_();
    }
  }

  const std::chrono::milliseconds interval_;
  const std::function<void()> tick_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts when everything above is ready
};

}  // namespace motcua::storage
