// Tests of the StreamingContext's driver loop: batches, collect, validation, stop conditions.
#include "engine/streaming/streaming_context.h"

#include <gtest/gtest.h>

#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Batches;
using testing::Harness;
using testing::Parse;

Value I(int64_t i) { return Value::Int(i); }

TEST(StreamingContextTest, MapFilterOverQueueBatches) {
  Harness harness(Batches(3));
  DStream* numbers = harness.context->QueueStream("numbers", {{I(1), I(2)}, {I(3)}, {}}, 2, true);
  Operator map(OperatorKind::kMap, Parse("x * 2"));
  Operator filter(OperatorKind::kFilter, Parse("x > 2"));
  DStream* doubled = harness.context->Transform("doubled", {numbers}, {map, filter});
  harness.Collect(doubled, "doubled_out");
  harness.Run();
  const auto& batches = harness.listener.collected["doubled_out"];
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].batch_time_ms, 1000);
  EXPECT_EQ(batches[0].records, (Values{I(4)}));
  EXPECT_EQ(batches[1].batch_time_ms, 2000);
  EXPECT_EQ(batches[1].records, (Values{I(6)}));
  EXPECT_EQ(batches[2].batch_time_ms, 3000);
  EXPECT_EQ(batches[2].records, Values{});
  ASSERT_EQ(harness.context->batches().size(), 3u);
  EXPECT_EQ(harness.context->batches()[0].input_records, 2);
  EXPECT_TRUE(harness.context->batches()[2].completed());
  EXPECT_EQ(harness.context->stop_reason(), "stopped after 3 batches");
}

TEST(StreamingContextTest, NoOutputsFailsWithSparksMessage) {
  Harness harness(Batches(1));
  harness.context->QueueStream("numbers", {{I(1)}}, 1, true);
  Status status = harness.context->Start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "No output operations registered, so nothing to execute");
}

}  // namespace
}  // namespace streamsim::engine
