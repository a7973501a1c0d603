// Tests of protocols/kinesis.cc: Kinesis's names for shards.
#include "protocols/kinesis.h"

#include <gtest/gtest.h>

namespace streamsim::protocols {
namespace {

TEST(KinesisTest, ShardsAreNamedAsKinesisNamesThem) {
  EXPECT_EQ(KinesisShardId(0), "shardId-000000000000");
  EXPECT_EQ(KinesisShardId(12), "shardId-000000000012");
}

}  // namespace
}  // namespace streamsim::protocols
