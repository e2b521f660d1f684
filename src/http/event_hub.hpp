#pragma once
// EventHub: fans events out to live subscribers (Server-Sent Events connections). Fed by the
// storage layer's EventFeed in id order; keeps the most recent events so a subscriber that read
// its catch-up from the database a moment ago gets, atomically with subscribing, whatever was
// published since (no gap, no duplicate).
//
// A subscriber's sink must not block: it queues the event for its connection's event loop and
// returns false when its own bounded queue is full, which drops that subscriber (a slow client
// never holds up the others).
//
// Thread-safety: every method may be called from any thread.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/message.hpp"

namespace motcua::http {

using EventPtr = std::shared_ptr<const Event>;

class EventHub {
 public:
  using Sink = std::function<bool(const EventPtr&)>;

  explicit EventHub(size_t history = 4096) : history_limit_(history) {}

  // Subscribes to `topics` (empty: every topic; "queue.*" matches "queue.B01"). Events still in
  // the history with id > after_id and a matching topic are handed to the sink first, in order.
  uint64_t Subscribe(std::vector<std::string> topics, int64_t after_id, Sink sink);
  void Unsubscribe(uint64_t id);
  void Publish(const EventPtr& event);
  size_t subscribers() const;
  int64_t last_id() const;

  static bool Matches(const std::vector<std::string>& topics, const std::string& topic);

 private:
  struct Subscriber {
    std::vector<std::string> topics;
    Sink sink;
  };
  const size_t history_limit_;
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, Subscriber> subscribers_;
  std::deque<EventPtr> history_;
};

// One event in the text/event-stream format (id, event, data lines, blank line).
std::string FormatServerSentEvent(const Event& event);

}  // namespace motcua::http
