#include "http/event_hub.hpp"

namespace motcua::http {

bool EventHub::Matches(const std::vector<std::string>& topics, const std::string& topic) {
  if (topics.empty()) return true;
  for (const std::string& t : topics) {
    if (t == topic) return true;
    if (t.size() >= 2 && t.ends_with(".*") &&
        topic.compare(0, t.size() - 1, t, 0, t.size() - 1) == 0) {
      return true;
    }
  }
  return false;
}

uint64_t EventHub::Subscribe(std::vector<std::string> topics, int64_t after_id, Sink sink) {
  std::lock_guard lock(mu_);
  for (const EventPtr& e : history_) {
    if (e->id > after_id && Matches(topics, e->topic) && !sink(e)) return 0;
  }
  const uint64_t id = next_id_++;
  subscribers_.emplace(id, Subscriber{std::move(topics), std::move(sink)});
  return id;
}

void EventHub::Unsubscribe(uint64_t id) {
  std::lock_guard lock(mu_);
  subscribers_.erase(id);
}

void EventHub::Publish(const EventPtr& event) {
  std::lock_guard lock(mu_);
  if (history_limit_ > 0) {
    history_.push_back(event);
    if (history_.size() > history_limit_) history_.pop_front();
  }
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    if (Matches(it->second.topics, event->topic) && !it->second.sink(event)) {
      it = subscribers_.erase(it);
    } else {
      ++it;
    }
  }
}

size_t EventHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

int64_t EventHub::last_id() const {
  std::lock_guard lock(mu_);
  return history_.empty() ? 0 : history_.back()->id;
}

std::string FormatServerSentEvent(const Event& event) {
  std::string out = "id: " + std::to_string(event.id) + "\nevent: " + event.type + "\n";
  // Each line of the data is a "data:" line of its own (JSON has none, but stay correct).
  size_t start = 0;
  while (true) {
    const size_t nl = event.data.find('\n', start);
    out += "data: ";
    out.append(event.data, start, nl == std::string::npos ? std::string::npos : nl - start);
    out += '\n';
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  out += '\n';
  return out;
}

}  // namespace motcua::http
