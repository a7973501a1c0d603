// Kinesis as the Kinesis Client Library inside Spark's Kinesis receiver sees it: a stream of
// shards, each an ordered log of records read by sequence number (GetRecords), and the KCL's
// lease table, where an application checkpoints each shard's last processed sequence number.
// One service at one node answers both. The simulated one is externals/kinesis_stream.h; the
// engine's side is engine/connectors/kinesis_source.h.
//
// A record's id in the run's ledger is (the source's index, its shard, its sequence number).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "simulator/world.h"

namespace streamsim::protocols {

struct KinesisRecord {
  int64_t sequence_number = 0;  // per shard, from 0
  std::string data;
  sim::Instant arrival;  // ApproximateArrivalTimestamp
};

// "shardId-000000000000" for shard 0, as Kinesis names shards.
std::string KinesisShardId(int shard);

class KinesisService {
 public:
  // GetRecords returns at most this many records, as Kinesis does.
  static constexpr int64_t kGetRecordsLimitMax = 10000;

  virtual ~KinesisService() = default;

  // The node the service answers from: requests are messages to it.
  virtual sim::NodeId node() const = 0;
  virtual int shards() const = 0;
  // Whether the service accepts calls now.
  virtual bool available() const = 0;
  // The sequence number the next record of `shard` will get (LATEST is just before it).
  // REQUIRES: 0 <= shard < shards(); likewise below.
  virtual int64_t NextSequenceNumber(int shard) const = 0;
  // The sequence number of the oldest record still held (TRIM_HORIZON).
  virtual int64_t TrimHorizon(int shard) const = 0;
  // At most `limit` records of `shard` from sequence number `from` on (from the trim horizon when
  // `from` was trimmed). Fails while the service is down.
  // REQUIRES: 1 <= limit <= kGetRecordsLimitMax.
  virtual Result<std::vector<KinesisRecord>> GetRecords(int shard, int64_t from,
                                                        int64_t limit) const = 0;
  // The lease table: writes / reads `application`'s checkpoint of `shard`. Both fail while the
  // service is down.
  virtual Status Checkpoint(const std::string& application, int shard, int64_t sequence_number) = 0;
  virtual Result<std::optional<int64_t>> CheckpointOf(const std::string& application,
                                                      int shard) const = 0;
};

}  // namespace streamsim::protocols
