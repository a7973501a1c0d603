// The single event queue of a simulation. Events run in (time, insertion sequence) order, so two
// events at the same instant run in the order they were scheduled — never by pointer or hash
// order. Timers can be cancelled. The loop has no notion of nodes; World adds node ownership.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <unordered_set>
#include <vector>

#include "simulator/time.h"

namespace streamsim::sim {

struct TimerId {
  uint64_t value = 0;  // 0 is "no timer"
  friend auto operator<=>(TimerId, TimerId) = default;
};

class EventLoop {
 public:
  Instant Now() const { return now_; }

  // Schedules `fn` at `at`; an instant already past means now (after what is already queued for
  // now), as a timer that fell due while its node was paused fires as soon as it can. Time never
  // runs backwards.
  TimerId At(Instant at, std::function<void()> fn);
  TimerId After(Duration delay, std::function<void()> fn) {
    return At(now_ + delay, std::move(fn));
  }
  // Cancels a pending timer. Returns false when it already ran, was cancelled, or never existed.
  bool Cancel(TimerId id);

  // Runs the next event, advancing time to it. Returns false when no event is pending.
  bool RunNext();
  // Runs every event with time <= limit, then sets the clock to `limit`.
  void RunUntil(Instant limit);
  // Time of the next pending event, or false when none.
  bool NextEventTime(Instant* at);

  uint64_t events_run() const { return events_run_; }

  // Test hook: queues `fn` at `at` without the clamp At applies, so that a test can show that an
  // event in the past is caught when it runs.
  void TEST_QueueUnclamped(Instant at, std::function<void()> fn);
  size_t pending() const { return queue_.size() - cancelled_.size(); }

 private:
  struct Event {
    Instant at;
    uint64_t sequence;
    std::function<void()> fn;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.at != b.at ? a.at > b.at : a.sequence > b.sequence;
    }
  };
  void DropCancelledHead();

  Instant now_;
  uint64_t next_sequence_ = 1;
  uint64_t events_run_ = 0;
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  std::unordered_set<uint64_t> cancelled_;  // lookups only; never iterated
  std::unordered_set<uint64_t> pending_ids_;
};

}  // namespace streamsim::sim
