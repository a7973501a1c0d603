// Tests simulator/event_loop: (time, insertion) ordering, cancellation, RunUntil and counters.
#include "simulator/event_loop.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace streamsim::sim {
namespace {

Instant At(int64_t us) { return Instant{us}; }

TEST(EventLoopTest, StartsEmptyAtTimeZero) {
  EventLoop loop;
  EXPECT_EQ(loop.Now(), Instant::Zero());
  EXPECT_EQ(loop.pending(), 0u);
  EXPECT_EQ(loop.events_run(), 0u);
  Instant next{-1};
  EXPECT_FALSE(loop.NextEventTime(&next));
  EXPECT_EQ(next.us, -1);
  EXPECT_FALSE(loop.RunNext());
}

TEST(EventLoopTest, RunsEventsInTimeOrderAndAdvancesTheClock) {
  EventLoop loop;
  std::vector<std::pair<std::string, int64_t>> log;
  auto record = [&](std::string name) {
    return [&log, &loop, name] { log.emplace_back(name, loop.Now().us); };
  };
  loop.At(At(300), record("c"));
  loop.At(At(100), record("a"));
  loop.At(At(200), record("b"));
  EXPECT_EQ(loop.pending(), 3u);
  Instant next;
  ASSERT_TRUE(loop.NextEventTime(&next));
  EXPECT_EQ(next, At(100));
  while (loop.RunNext()) {
  }
  EXPECT_EQ(log,
            (std::vector<std::pair<std::string, int64_t>>{{"a", 100}, {"b", 200}, {"c", 300}}));
  EXPECT_EQ(loop.Now(), At(300));
  EXPECT_EQ(loop.pending(), 0u);
}

TEST(EventLoopTest, TiesRunInInsertionOrder) {
  EventLoop loop;
  std::vector<int> order;
  for (int i = 0; i < 50; ++i) loop.At(At(1000), [&order, i] { order.push_back(i); });
  while (loop.RunNext()) {
  }
  std::vector<int> expected(50);
  for (int i = 0; i < 50; ++i) expected[i] = i;
  EXPECT_EQ(order, expected);
}

TEST(EventLoopTest, AfterIsRelativeToNow) {
  EventLoop loop;
  std::vector<int64_t> times;
  loop.At(At(500),
          [&] { loop.After(Duration::Micros(250), [&] { times.push_back(loop.Now().us); }); });
  loop.After(Duration::Micros(100), [&] { times.push_back(loop.Now().us); });
  while (loop.RunNext()) {
  }
  EXPECT_EQ(times, (std::vector<int64_t>{100, 750}));
}

TEST(EventLoopTest, TimerIdsAreDistinctAndNonZero) {
  EventLoop loop;
  const TimerId a = loop.At(At(1), [] {});
  const TimerId b = loop.At(At(1), [] {});
  EXPECT_NE(a.value, 0u);
  EXPECT_NE(b.value, 0u);
  EXPECT_NE(a, b);
}

TEST(EventLoopTest, CancelPreventsTheEventAndSucceedsOnlyOnce) {
  EventLoop loop;
  std::vector<std::string> ran;
  loop.At(At(10), [&] { ran.push_back("keep1"); });
  const TimerId doomed = loop.At(At(20), [&] { ran.push_back("doomed"); });
  loop.At(At(30), [&] { ran.push_back("keep2"); });
  EXPECT_TRUE(loop.Cancel(doomed));
  EXPECT_EQ(loop.pending(), 2u);
  EXPECT_FALSE(loop.Cancel(doomed));
  EXPECT_EQ(loop.pending(), 2u);
  while (loop.RunNext()) {
  }
  EXPECT_EQ(ran, (std::vector<std::string>{"keep1", "keep2"}));
  EXPECT_EQ(loop.events_run(), 2u);
  EXPECT_FALSE(loop.Cancel(doomed));
}

TEST(EventLoopTest, CancelOfAFiredTimerReturnsFalse) {
  EventLoop loop;
  int runs = 0;
  const TimerId id = loop.At(At(5), [&] { ++runs; });
  ASSERT_TRUE(loop.RunNext());
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(loop.Cancel(id));
}

TEST(EventLoopTest, CancelOfAnUnknownTimerReturnsFalse) {
  EventLoop loop;
  EXPECT_FALSE(loop.Cancel(TimerId{}));
  EXPECT_FALSE(loop.Cancel(TimerId{12345}));
  loop.At(At(1), [] {});
  EXPECT_FALSE(loop.Cancel(TimerId{2}));
  EXPECT_EQ(loop.pending(), 1u);
}

TEST(EventLoopTest, CancellingTheHeadMovesNextEventTime) {
  EventLoop loop;
  const TimerId head = loop.At(At(10), [] {});
  loop.At(At(40), [] {});
  ASSERT_TRUE(loop.Cancel(head));
  Instant next;
  ASSERT_TRUE(loop.NextEventTime(&next));
  EXPECT_EQ(next, At(40));
}

TEST(EventLoopTest, CancellingEverythingLeavesNothingToRun) {
  EventLoop loop;
  int runs = 0;
  const TimerId a = loop.At(At(10), [&] { ++runs; });
  const TimerId b = loop.At(At(20), [&] { ++runs; });
  EXPECT_TRUE(loop.Cancel(a));
  EXPECT_TRUE(loop.Cancel(b));
  EXPECT_EQ(loop.pending(), 0u);
  Instant next;
  EXPECT_FALSE(loop.NextEventTime(&next));
  EXPECT_FALSE(loop.RunNext());
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(loop.Now(), Instant::Zero());
}

TEST(EventLoopTest, AnEventCanCancelALaterEvent) {
  EventLoop loop;
  std::vector<std::string> ran;
  TimerId later;
  loop.At(At(10), [&] {
    ran.push_back("first");
    EXPECT_TRUE(loop.Cancel(later));
  });
  later = loop.At(At(10), [&] { ran.push_back("later"); });
  while (loop.RunNext()) {
  }
  EXPECT_EQ(ran, (std::vector<std::string>{"first"}));
}

TEST(EventLoopTest, EventScheduledDuringAnEventAtTheSameTimeRunsAfterIt) {
  EventLoop loop;
  std::vector<std::string> ran;
  loop.At(At(10), [&] {
    ran.push_back("a");
    loop.At(loop.Now(), [&] { ran.push_back("a-child"); });
  });
  loop.At(At(10), [&] { ran.push_back("b"); });
  loop.At(At(11), [&] { ran.push_back("c"); });
  while (loop.RunNext()) {
  }
  // The child was inserted after "b", so it runs after "b" but still at t=10, before "c".
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b", "a-child", "c"}));
}

TEST(EventLoopTest, ZeroDelayEventRunsAtTheSameInstant) {
  EventLoop loop;
  std::vector<int64_t> times;
  loop.At(At(70), [&] { loop.After(Duration{}, [&] { times.push_back(loop.Now().us); }); });
  while (loop.RunNext()) {
  }
  EXPECT_EQ(times, (std::vector<int64_t>{70}));
  EXPECT_EQ(loop.events_run(), 2u);
}

TEST(EventLoopTest, RunUntilStopsAtTheLimitAndSetsTheClock) {
  EventLoop loop;
  std::vector<int64_t> times;
  for (const int64_t us : {100, 200, 300, 301, 400}) {
    loop.At(At(us), [&] { times.push_back(loop.Now().us); });
  }
  loop.RunUntil(At(300));
  EXPECT_EQ(times, (std::vector<int64_t>{100, 200, 300}));  // the limit is inclusive
  EXPECT_EQ(loop.Now(), At(300));
  EXPECT_EQ(loop.pending(), 2u);
  loop.RunUntil(At(350));
  EXPECT_EQ(times.size(), 4u);
  EXPECT_EQ(loop.Now(), At(350));
  loop.RunUntil(At(1000));
  EXPECT_EQ(times, (std::vector<int64_t>{100, 200, 300, 301, 400}));
  EXPECT_EQ(loop.Now(), At(1000));
  EXPECT_EQ(loop.events_run(), 5u);
}

TEST(EventLoopTest, RunUntilAdvancesAnEmptyLoop) {
  EventLoop loop;
  loop.RunUntil(At(12345));
  EXPECT_EQ(loop.Now(), At(12345));
  EXPECT_EQ(loop.events_run(), 0u);
}

TEST(EventLoopTest, RunUntilNeverMovesTheClockBackwards) {
  EventLoop loop;
  loop.RunUntil(At(500));
  loop.RunUntil(At(100));
  EXPECT_EQ(loop.Now(), At(500));
}

TEST(EventLoopTest, RunUntilRunsEventsScheduledDuringTheRunUpToTheLimit) {
  EventLoop loop;
  int ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    loop.After(Duration::Micros(10), tick);
  };
  loop.At(At(0), tick);
  loop.RunUntil(At(95));
  EXPECT_EQ(ticks, 10);  // t = 0, 10, ..., 90
  EXPECT_EQ(loop.Now(), At(95));
  EXPECT_EQ(loop.pending(), 1u);
  Instant next;
  ASSERT_TRUE(loop.NextEventTime(&next));
  EXPECT_EQ(next, At(100));
}

TEST(EventLoopTest, EventsRunCountsOnlyEventsThatRan) {
  EventLoop loop;
  for (int i = 0; i < 7; ++i) loop.At(At(i), [] {});
  const TimerId cancelled = loop.At(At(3), [] {});
  ASSERT_TRUE(loop.Cancel(cancelled));
  EXPECT_EQ(loop.events_run(), 0u);
  ASSERT_TRUE(loop.RunNext());
  EXPECT_EQ(loop.events_run(), 1u);
  loop.RunUntil(At(100));
  EXPECT_EQ(loop.events_run(), 7u);
}

// One step of a random run: schedule an event `delay_us` after now, cancel an earlier timer, or
// run the next event.
enum class Step { kSchedule, kCancel, kRunNext };
struct Operation {
  Step step = Step::kSchedule;
  int64_t delay_us = 0;  // for kSchedule
  size_t target = 0;     // for kCancel: index into the timers scheduled so far (modulo their count)
};

// For random interleavings of schedule, cancel and run steps, the loop runs exactly the events that
// were not cancelled, each at its own time, in (time, scheduling order) order. The model is a map
// keyed by (time, scheduling index) that knows nothing of the loop's heap.
RC_GTEST_PROP(EventLoopProperty, RunsSurvivingEventsInTimeThenSequenceOrder, ()) {
  const auto operations = *rc::gen::container<std::vector<Operation>>(rc::gen::build<Operation>(
      rc::gen::set(&Operation::step,
                   rc::gen::weightedElement<Step>(
                       {{4, Step::kSchedule}, {2, Step::kCancel}, {1, Step::kRunNext}})),
      rc::gen::set(&Operation::delay_us, rc::gen::inRange<int64_t>(0, 20)),
      rc::gen::set(&Operation::target, rc::gen::inRange<size_t>(0, 1000))));
  EventLoop loop;
  std::vector<TimerId> ids;
  std::vector<int64_t> times_us;
  std::map<std::pair<int64_t, size_t>, bool> model;  // pending (time, index); value unused
  std::vector<std::pair<int64_t, size_t>> ran;       // (time run, index), as the loop ran them
  std::vector<std::pair<int64_t, size_t>> expected;  // as the model says they must run
  auto expect_next = [&] {
    if (model.empty()) return;
    expected.push_back(model.begin()->first);
    model.erase(model.begin());
  };
  for (const Operation& operation : operations) {
    switch (operation.step) {
      case Step::kSchedule: {
        const size_t index = ids.size();
        const int64_t at_us = loop.Now().us + operation.delay_us;
        ids.push_back(loop.At(Instant{at_us},
                              [&ran, &loop, index] { ran.emplace_back(loop.Now().us, index); }));
        times_us.push_back(at_us);
        model[{at_us, index}] = true;
        break;
      }
      case Step::kCancel: {
        if (ids.empty()) break;
        const size_t index = operation.target % ids.size();
        const bool was_pending = model.erase({times_us[index], index}) > 0;
        RC_ASSERT(loop.Cancel(ids[index]) == was_pending);
        break;
      }
      case Step::kRunNext:
        RC_ASSERT(loop.RunNext() == !model.empty());
        expect_next();
        break;
    }
    RC_ASSERT(loop.pending() == model.size());
    RC_ASSERT(ran == expected);
  }
  while (loop.RunNext()) expect_next();
  RC_ASSERT(model.empty());
  RC_ASSERT(ran == expected);
  RC_ASSERT(loop.events_run() == ran.size());
  RC_ASSERT(loop.pending() == 0u);
  for (const TimerId id : ids) RC_ASSERT(!loop.Cancel(id));
}

}  // namespace
}  // namespace streamsim::sim

namespace streamsim::sim {
namespace {

// The clock never runs backwards: At clamps an instant already past to now (written), and the
// loop checks every event it runs (read).
TEST(EventLoopDeathTest, AnEventBeforeTheClockIsABug) {
  EventLoop loop;
  loop.At(Instant{5'000}, [] {});
  loop.RunNext();
  bool ran = false;
  loop.At(Instant{1'000}, [&ran] { ran = true; });  // clamped to now
  loop.RunNext();
  EXPECT_TRUE(ran);
  EXPECT_EQ(loop.Now(), Instant{5'000});
  loop.TEST_QueueUnclamped(Instant{1'000}, [] {});
  EXPECT_DEATH(loop.RunNext(), "an event before the simulated clock");
}

}  // namespace
}  // namespace streamsim::sim
