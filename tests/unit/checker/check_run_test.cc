// A finding's tally: counts add up, batches unite, examples are the first kExamplesMax distinct
// ones in the order they were added, and a merged tally reads as if its adds came after.
#include "checker/check_run.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace streamsim::checker::check {
namespace {

sim::Instant Ms(int64_t ms) { return sim::Instant{ms * 1000}; }

TEST(TallyTest, MergingReadsAsIfTheOtherAddsCameAfter) {
  Tally first;
  first.Add(Ms(2000), 2, {"a", "b"});
  Tally second;
  second.happened_at = Ms(9000);
  second.Add(Ms(1000), 3, {"b", "c", "d"});
  first.Merge(second);
  EXPECT_EQ(first.count, 5);
  EXPECT_EQ(first.batches, (std::set<sim::Instant>{Ms(1000), Ms(2000)}));
  EXPECT_EQ(first.examples, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(first.happened_at.has_value());  // the first tally's, which had batches

  Tally empty;
  empty.Merge(second);
  EXPECT_EQ(empty.happened_at, Ms(9000));
  EXPECT_EQ(empty.examples, (std::vector<std::string>{"b", "c", "d"}));
}

}  // namespace
}  // namespace streamsim::checker::check
