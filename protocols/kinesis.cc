// Kinesis's names for shards (protocols/kinesis.h).
#include "protocols/kinesis.h"

#include <fmt/format.h>

namespace streamsim::protocols {

std::string KinesisShardId(int shard) { return fmt::format("shardId-{:012d}", shard); }

}  // namespace streamsim::protocols
