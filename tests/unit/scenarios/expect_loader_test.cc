// The `expect:` section: the guarantee a scenario claims, and its errors.
#include <gtest/gtest.h>

#include "tests/unit/scenarios/loader_test_support.h"

namespace streamsim::scenarios {
namespace {

using testing::ErrorOf;
using testing::Loaded;
using testing::WithSource;

const std::string kSource = "  s: {kind: queue, batches: [[a]]}";

TEST(ExpectLoaderTest, ReadsTheGuarantee) {
  const Scenario scenario = Loaded(WithSource(kSource) + "expect: {guarantee: at-least-once}\n");
  ASSERT_TRUE(scenario.expect.guarantee.has_value());
  EXPECT_EQ(*scenario.expect.guarantee, "at-least-once");
  EXPECT_EQ(scenario.expect.position.line, 5);
}

TEST(ExpectLoaderTest, AbsentMeansNoClaim) {
  EXPECT_FALSE(Loaded(WithSource(kSource)).expect.guarantee.has_value());
}

TEST(ExpectLoaderTest, UnknownGuaranteeIsReportedWithASuggestion) {
  EXPECT_EQ(ErrorOf(WithSource(kSource) + "expect: {guarantee: exactly-onse}\n"),
            "t.yaml:5:21: unknown guarantee 'exactly-onse'; expected one of exactly-once, "
            "at-least-once, at-most-once; did you mean 'exactly-once'?");
}

TEST(ExpectLoaderTest, UnknownKeyIsReported) {
  EXPECT_EQ(ErrorOf(WithSource(kSource) + "expect: {verdict: exactly-once}\n"),
            "t.yaml:5:10: unknown key 'verdict' in expect");
}

}  // namespace
}  // namespace streamsim::scenarios
