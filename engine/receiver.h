// Receivers: long-running tasks that hold one executor core for the life of the application and
// turn what an external source sends into blocks. The block generator buffers records and cuts a
// block every block interval (none when the buffer is empty); the block goes into the executor's
// block manager, is replicated to a second executor when the storage level says so, and is then
// reported to the driver. What is buffered but not yet in a block is lost if the executor dies.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "engine/cluster.h"
#include "engine/cost_model.h"
#include "engine/receiver_tracker.h"
#include "simulator/world.h"

namespace streamsim::engine {

// The external side of a receiver-based source (a socket server, later brokers and agents).
class ReceiverSource {
 public:
  virtual ~ReceiverSource() = default;
  // A receiver running on `receiver_node` connects; each delivery of records runs `deliver` there.
  virtual void Connect(sim::NodeId receiver_node, std::function<void(Values)> deliver) = 0;
  virtual void Disconnect() = 0;
};

struct ReceiverConfig {
  sim::Duration block_interval = sim::Duration::Millis(200);
  int replication = 2;  // 2 for the *_2 storage levels (forced to 1 with the write-ahead log)
  // The receiver write-ahead log (spark.streaming.receiver.writeAheadLog.enable): each block is
  // written to it and to the block manager, and reported only when both are done. Its directory
  // is "<checkpoint>/receivedData/<stream id>"; empty when disabled.
  std::string wal_directory;
  sim::Duration wal_rolling_interval = sim::Duration::Seconds(60);
  sim::Duration wal_write_time = sim::Duration::Millis(5);  // one append + sync
};

class Receiver {
 public:
  Receiver(sim::World* world, Cluster* cluster, ReceiverTracker* tracker, int stream_id,
           std::string name, ReceiverSource* source, ReceiverConfig config);

  // Starts on `executor`, holding one of its cores.
  void Start(int executor);
  // Stops: releases the core. With `flush` (a graceful stop) the buffer becomes a last block, as
  // Spark's BlockGenerator pushes its last block on stop; otherwise the buffer is lost.
  void Stop(const std::string& reason, bool flush);
  // The executor died with the driver: stop without flushing and forget blocks in flight.
  void Kill(const std::string& reason);
  bool running() const { return executor_ >= 0; }
  int executor() const { return executor_; }
  int stream_id() const { return stream_id_; }
  const std::string& name() const { return name_; }
  // Blocks cut but not yet reported to the driver (being replicated, or the report is on its way).
  // A graceful stop waits for them. A report the network drops keeps its block counted, so such a
  // stop then ends at its timeout.
  int64_t blocks_in_flight() const { return blocks_in_flight_; }

 private:
  void Store(Values records);
  void CutBlock();
  void ScheduleCut();
  void Report(BlockRdd::BlockInfo info);
  void WriteAheadAndReport(const BlockPtr& block, BlockRdd::BlockInfo info);
  int ReplicaFor(int executor) const;

  sim::World* world_;
  Cluster* cluster_;
  ReceiverTracker* tracker_;
  int stream_id_;
  std::string name_;
  ReceiverSource* source_;
  ReceiverConfig config_;
  int executor_ = -1;
  Values buffer_;
  int64_t next_block_ = 0;
  int64_t blocks_in_flight_ = 0;
  sim::TimerId cut_timer_;
};

}  // namespace streamsim::engine
