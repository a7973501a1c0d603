// STREAMSIM_ASSERT stays on in every build and, when it fires, names the broken condition, where it
// is, and the run it broke: seed, simulated time and the command that replays it.
#include "base/assert.h"

#include <gtest/gtest.h>

#include "base/run_context.h"
#include "base/status.h"

namespace streamsim::base {
namespace {

int Checked(int value) {
  STREAMSIM_ASSERT(value > 0, "a value must be positive");
  return value;
}

TEST(AssertDeathTest, FiresWithTheConditionAndItsPlaceOutsideARun) {
  EXPECT_EQ(Checked(3), 3);
  EXPECT_DEATH(Checked(-1),
               "assertion failed: value > 0\n  at .*assert_test.cc:[0-9]+\n  a value must be "
               "positive\n$");
}

TEST(AssertDeathTest, NamesTheSeedTheSimulatedTimeAndTheReplayCommandDuringARun) {
  EXPECT_DEATH(
      {
        ScopedRunContext run(
            {7, [] { return int64_t{12345678}; }, "streamsim run x.yaml --seed 7"});
        Checked(0);
      },
      "assertion failed: value > 0\n.*\n  seed: 7\n  simulated time: 12.345678 s\n  replay: "
      "streamsim run x.yaml --seed 7\n");
}

TEST(AssertDeathTest, WithoutAMessageSaysOnlyTheCondition) {
  EXPECT_DEATH(STREAMSIM_ASSERT(1 + 1 == 3), "assertion failed: 1 \\+ 1 == 3\n  at .*\n$");
}

TEST(RunContextTest, IsSetForTheLengthOfTheScopeAndRestoredAfter) {
  EXPECT_EQ(CurrentRunContext(), nullptr);
  {
    ScopedRunContext outer({1, nullptr, "outer"});
    EXPECT_EQ(CurrentRunContext()->replay_command, "outer");
    {
      ScopedRunContext inner({2, nullptr, "inner"});
      EXPECT_EQ(CurrentRunContext()->seed, 2u);
    }
    EXPECT_EQ(CurrentRunContext()->replay_command, "outer");
  }
  EXPECT_EQ(CurrentRunContext(), nullptr);
}

TEST(StatusDeathTest, AResultFromAnOkStatusIsABug) {
  EXPECT_DEATH({ Result<int> result(Status::Ok()); }, "a Result made from an ok Status");
  Result<int> error(Status::Error("no"));
  EXPECT_DEATH(error.value()++, "Result::value\\(\\) of an error");
}

}  // namespace
}  // namespace streamsim::base
