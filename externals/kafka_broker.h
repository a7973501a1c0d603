// A simulated Kafka broker holding one topic, as a world node ("kafka/<topic>"). The topic has N
// partitions, each an append-only log of records numbered by offset. A producer, running on the
// broker's node from its start, appends generated lines at a configured rate, spread round-robin
// over the partitions (a producer that sends no key). Retention keeps at most a number of records
// per partition: the oldest are deleted and the partition's log start offset advances, so a
// reader that falls behind by more than the retention gets OffsetOutOfRange, as a real consumer
// with no reset policy does. In the run's ledger a record's id is (its partition, its offset),
// whichever stream reads it.
//
// Faults this double injects (it has no others): the broker can go down (Down(), or a crash of
// its node) and come back (Up()). While it is down reads fail and the producer appends nothing —
// the records that fall due meanwhile are never produced (the producer's sends fail and are not
// retried). The log itself is durable: it survives the broker's crash whole. Retention is the
// only thing that ever deletes records.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ledger/source_ledger.h"
#include "protocols/kafka.h"
#include "records/generators.h"
#include "simulator/world.h"

namespace streamsim::externals {

struct KafkaBrokerConfig {
  std::string topic;
  std::string source_name;  // the scenario source that made the broker: names its workload stream
  int partitions = 1;
  double rate_per_second = 100;  // records produced per second, all partitions together
  records::GeneratorConfig generator;
  int64_t retention_records = 1000000;  // kept per partition; older records are deleted
  sim::Duration produce_interval = sim::Duration::Millis(10);
};

class KafkaBroker : public protocols::KafkaTopic {
 public:
  // Adds the node "kafka/<topic>"; the producer starts when the node starts.
  // REQUIRES: config.partitions >= 1, config.retention_records >= 1, config.rate_per_second > 0.
  KafkaBroker(sim::World* world, KafkaBrokerConfig config);
  KafkaBroker(const KafkaBroker&) = delete;
  KafkaBroker& operator=(const KafkaBroker&) = delete;

  const std::string& topic() const override { return config_.topic; }
  int partitions() const override { return config_.partitions; }
  const KafkaBrokerConfig& config() const { return config_; }
  sim::NodeId node() const { return node_; }
  // The context attaches the run's ledger when it makes the broker; every stream reading the
  // topic (direct or through a receiver) uses these ids.
  void AttachLedger(ledger::Ledger* ledger, int32_t source_index) {
    ledger_ = ledger::SourceLedger(ledger, source_index);
    ledger_.DrawsFrom(generator_);
  }
  const ledger::SourceLedger& ledger() const { return ledger_; }

  // Whether the broker answers requests: its node is up.
  bool available() const override;
  // Takes the broker down (crashes its node) / brings it back (starts it). No-ops when it is
  // already down / up.
  void Down();
  void Up();

  // Appends `value` to `partition` and returns its offset. Retention then deletes the oldest
  // records beyond the limit. The producer calls this; tests may too (it works while down: it is
  // the log, not the network). REQUIRES: 0 <= partition < partitions().
  int64_t Append(int partition, std::string value);
  // The offset the next record appended to `partition` will get (Kafka's log end offset, what a
  // consumer's "latest" is).
  int64_t LatestOffset(int partition) const override;
  // The offset of the oldest record still held (0 until retention deletes something).
  int64_t LogStartOffset(int partition) const override;

  // The records of `partition` with offsets in [from, until). Fails when the broker is down,
  // when `from` is below the log start offset (records deleted by retention: OffsetOutOfRange),
  // or when `until` is beyond the log end. REQUIRES: from <= until.
  Result<std::vector<protocols::KafkaRecord>> Read(int partition, int64_t from,
                                                   int64_t until) const override;

  int64_t records_produced() const { return produced_; }
  // Records whose production fell due while the broker was down: never produced.
  int64_t records_not_produced() const { return not_produced_; }

 private:
  // Appends without telling the ledger; returns the offset.
  int64_t Store(int partition, std::string value);
  struct Partition {
    int64_t log_start_offset = 0;
    std::deque<std::string> records;  // offsets [log_start_offset, log_start_offset + size)
  };
  void OnStart();
  void Produce();
  int64_t RecordsDue() const;
  const Partition& partition(int index) const;

  sim::World* world_;
  KafkaBrokerConfig config_;
  sim::NodeId node_;
  std::shared_ptr<const records::RecordGenerator> generator_;
  ledger::SourceLedger ledger_;
  std::vector<Partition> partitions_;
  // The producer's clock: floor(rate x time since the first start) records are due, so the rate
  // holds exactly over time whatever the down times.
  std::optional<sim::Instant> first_start_;
  int64_t produced_ = 0;
  int64_t not_produced_ = 0;
};

}  // namespace streamsim::externals
