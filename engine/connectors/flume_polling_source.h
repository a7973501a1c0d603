// Flume's pull approach, the Spark side (FlumeUtils.createPollingStream, FlumePollingReceiver):
// a reliable receiver source that polls the agent's SparkSink (protocols/flume.h,
// FlumePollingSink).
//
// The poller runs inside the receiver, on the receiver's node: it asks the sink for a batch of up
// to `max_batch_size` events, stores the batch as one block (Receiver.store(ArrayBuffer): a
// reliable store), and once the block is stored and accepted by the driver it acks the batch, so
// the agent's transaction commits — then it polls again. Nothing leaves the agent's channel before
// Spark has stored it:
//   - the receiver stops (a receiver crash, a failed store) while a batch is being stored: the
//     poller nacks it and the agent rolls it back at once;
//   - the receiver's node dies: no ack comes, and the agent rolls the batch back after its
//     transaction timeout; the relaunched receiver polls the same events again;
//   - the agent crashes: its open transactions roll back (the file channel); the poller notices
//     its broken connection within `connection_check_interval` and polls again once the agent is
//     back (every `retry_interval` while it is down).
// Duplicates remain possible: a block stored whose ack arrives after the transaction timed out.
//
// Where this departs from Spark: Spark polls with `parallelism` (5) connections at once; here one
// poller polls one batch at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "engine/receivers/receiver.h"
#include "protocols/flume.h"
#include "simulator/world.h"

namespace streamsim::engine {

struct FlumePollingConfig {
  int64_t max_batch_size = 1000;  // FlumeUtils' DEFAULT_POLLING_BATCH_SIZE
  sim::Duration retry_interval = sim::Duration::Seconds(1);
  sim::Duration connection_check_interval = sim::Duration::Seconds(1);
};

class FlumePollingSource : public ReceiverSource {
 public:
  // Polls `sink` (REQUIRES: outlives the source). REQUIRES: config.max_batch_size >= 1.
  FlumePollingSource(sim::World* world, protocols::FlumePollingSink* sink,
                     FlumePollingConfig config);

  bool reliable() const override { return true; }
  void ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) override;
  void Disconnect() override;

  const FlumePollingConfig& config() const { return config_; }
  int64_t batches_acked() const { return acked_; }
  int64_t batches_nacked() const { return nacked_; }

 private:
  // The batch the poller waits for or is storing.
  struct Outstanding {
    int64_t request = 0;
    uint64_t agent_incarnation = 0;
    std::optional<int64_t> storing;  // the batch's sequence, once it is being stored
  };
  void Poll(uint64_t connection);
  void WatchConnection(uint64_t connection, int64_t request);
  void OnBatch(uint64_t connection, int64_t request, protocols::FlumeEventBatch batch);
  void OnStored(uint64_t connection, int64_t sequence);
  void SendToAgent(const char* kind, std::function<void()> on_agent);
  bool Current(uint64_t connection, int64_t request) const;

  sim::World* world_;
  FlumePollingConfig config_;
  protocols::FlumePollingSink* sink_;
  // The receiver's side (volatile: a new connection starts afresh).
  uint64_t connection_ = 0;
  sim::NodeId receiver_node_;
  StoreBlock store_block_;
  std::optional<Outstanding> outstanding_;
  int64_t next_request_ = 1;
  int64_t acked_ = 0;
  int64_t nacked_ = 0;
};

}  // namespace streamsim::engine
