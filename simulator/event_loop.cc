// Event queue implementation: a binary heap keyed by (time, sequence) with lazy cancellation.
#include "simulator/event_loop.h"

#include "base/assert.h"

namespace streamsim::sim {

TimerId EventLoop::At(Instant at, std::function<void()> fn) {
  if (at < now_) at = now_;  // written: never before now
  const uint64_t sequence = next_sequence_++;
  queue_.push(Event{at, sequence, std::move(fn)});
  pending_ids_.insert(sequence);
  return TimerId{sequence};
}

bool EventLoop::Cancel(TimerId id) {
  if (pending_ids_.erase(id.value) == 0) return false;
  cancelled_.insert(id.value);
  return true;
}

void EventLoop::DropCancelledHead() {
  while (!queue_.empty() && cancelled_.count(queue_.top().sequence) > 0) {
    cancelled_.erase(queue_.top().sequence);
    queue_.pop();
  }
}

bool EventLoop::NextEventTime(Instant* at) {
  DropCancelledHead();
  if (queue_.empty()) return false;
  *at = queue_.top().at;
  return true;
}

bool EventLoop::RunNext() {
  DropCancelledHead();
  if (queue_.empty()) return false;
  // Move the callback out before popping: it may schedule more events.
  Event event = std::move(const_cast<Event&>(queue_.top()));
  queue_.pop();
  pending_ids_.erase(event.sequence);
  // Read: the clock never runs backwards (At clamps every event to now or later).
  STREAMSIM_ASSERT(event.at >= now_, "an event before the simulated clock");
  now_ = event.at;
  ++events_run_;
  event.fn();
  return true;
}

void EventLoop::TEST_QueueUnclamped(Instant at, std::function<void()> fn) {
  const uint64_t sequence = next_sequence_++;
  queue_.push(Event{at, sequence, std::move(fn)});
  pending_ids_.insert(sequence);
}

void EventLoop::RunUntil(Instant limit) {
  Instant next;
  while (NextEventTime(&next) && next <= limit) RunNext();
  if (limit > now_) now_ = limit;
}

}  // namespace streamsim::sim
