// Receivers: long-running tasks that hold one executor core for the life of the application and
// turn what an external source sends into blocks. Two ways to store, as in Spark's Receiver API:
//
// - Unreliable (Receiver.store(record)): records go one by one into the block generator, which
//   cuts a block every block interval (none when the buffer is empty); the block goes into the
//   executor's block manager, is replicated to a second executor when the storage level says so
//   (or written to the receiver write-ahead log), and is then reported to the driver. What is
//   buffered but not yet in a block is lost if the executor or the receiver dies, and the source
//   never learns of it.
// - Reliable (Receiver.store(ArrayBuffer), ReliableKafkaReceiver): the source hands a whole block
//   at once together with an `on_stored` callback. The block skips the block generator; it is
//   stored (replicated, or written to the log) and reported to the driver, and only when the
//   driver's block tracker has accepted it does `on_stored` run, on the receiver's node — that is
//   where the source acknowledges (commits offsets, acks the device). If the executor dies, the
//   receiver is stopped or restarted, or the tracker refuses the block (its log write failed)
//   before that, `on_stored` never runs: the source must re-deliver everything it has not seen
//   acknowledged when a receiver connects again. Duplicates are possible (a block stored whose
//   acknowledgement was lost); loss is not.
//
// Every record travels with its id in the run's ledger (ledger/ledger.h), from the source into
// its block, in memory only (ids cost no simulated time). The receiver tells the ledger what was
// delivered to it, each block it made and where the receiver log holds it; the outside system
// tells it what it produced, and the source (or the system) what was acknowledged.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "engine/core/cluster.h"
#include "engine/core/cost_model.h"
#include "engine/core/records_and_ledger.h"
#include "engine/receivers/receiver_tracker.h"
#include "ledger/ledger.h"
#include "ledger/source_ledger.h"
#include "simulator/world.h"

namespace streamsim::engine {

// Runs on the receiver's node once a reliably stored block has been accepted by the driver.
using OnStored = std::function<void()>;
// Stores `records` as one block (REQUIRES: not empty) and runs `on_stored` once it is stored and
// accepted; never runs it if the block is lost first. Calls made after the receiver stopped are
// ignored (the source's connection is gone). Records handed this way are never mixed with the
// block generator's buffer. `ids` are the records' ledger ids, one per record, in the same order
// (ledger/ledger.h); they travel with the block in memory only.
using StoreBlock = std::function<void(Values records, RecordIds ids, OnStored on_stored)>;
// Puts records, with their ledger ids (one per record, same order), into the block generator.
using Deliver = std::function<void(Values records, RecordIds ids)>;

// The connector between a receiver and an outside system (a socket server, a Kafka topic, a Flume
// agent, a Kinesis stream, a device), which it reaches through the system's client interface
// (protocols/) and, for sources that run code inside the receiver (Kafka's consumer, a custom
// receiver's loop), that code too. The receiver calls exactly one of Connect / ConnectReliable when
// it starts (as reliable() says) and Disconnect when it stops or dies; a receiver that is
// relaunched connects again, on its new node. Code the source runs "inside the receiver" must use
// timers owned by `receiver_node` (world->Schedule), so that it dies with the executor, and must
// drop its volatile state (buffers, positions) on Disconnect and on the next Connect.
class ReceiverSource {
 public:
  virtual ~ReceiverSource() = default;
  // The context attaches the run's ledger once, when it creates the source, with the index the
  // source's records are known under: the one it registered the source under, or the one under
  // which the maker of the outside system registered that system and attached it to the ledger
  // (StreamingContext::ReceiverStream with an index; a Kafka consumer's is its topic's). The
  // outside system writes there what it produced; the source computes its records' ids from
  // their positions (ledger/ledger.h) and writes what it saw acknowledged.
  void AttachLedger(Ledger* ledger, int32_t source_index) {
    ledger_ = SourceLedger(ledger, source_index);
  }
  // Whether the receiver stores this source's data reliably (ConnectReliable) or record by record
  // (Connect).
  virtual bool reliable() const { return false; }
  // Unreliable: a receiver running on `receiver_node` connects; each `deliver` call (made on that
  // node) puts records into its block generator.
  virtual void Connect(sim::NodeId /*receiver_node*/, Deliver /*deliver*/) {}
  // Reliable: as Connect, but the source hands whole blocks with `store_block` and acknowledges
  // in their `on_stored` callbacks. On every connection it re-delivers from its last
  // acknowledged point.
  virtual void ConnectReliable(sim::NodeId /*receiver_node*/, StoreBlock /*store_block*/) {}
  virtual void Disconnect() = 0;

 protected:
  // Where the source finds its records' ids and writes what it saw acknowledged (the outside
  // system writes what it produced, the receiver what was delivered). Detached (a no-op, ids
  // under source 0) until AttachLedger.
  SourceLedger ledger_;
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
  // Called after the receiver stopped itself because a reliable store failed (the log refused the
  // block, or the driver did not accept it): the context relaunches it after the restart delay.
  std::function<void()> relaunch;
  // The run's ledger, where the receiver writes the records delivered to it and the blocks it
  // made (ledger/ledger.h), and the driver life its blocks belong to. Null: nothing is written.
  Ledger* ledger = nullptr;
  std::function<int()> driver_life;
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
  // Reliable stores whose block is not yet accepted by the driver (their on_stored is pending).
  size_t acknowledgements_pending() const { return pending_acks_.size(); }

 private:
  void Store(Values records, RecordIds ids);
  void StoreReliably(uint64_t connection, Values records, RecordIds ids, OnStored on_stored);
  void CutBlock();
  // Puts a block of `records` into the block manager and starts storing it (replica or log); the
  // report to the driver follows. With `on_stored`, the store is reliable (see above).
  void PushBlock(Values records, RecordIds ids, OnStored on_stored);
  void NoteDelivered(const RecordIds& ids);
  void NoteBlockCreated(const Block& block);
  void NoteWrittenAhead(const BlockRdd::BlockInfo& info);
  std::string NextBlockId();
  void BlockLeftFlight();
  void ReportReliable(BlockRdd::BlockInfo info, OnStored on_stored);
  void OnBlockAccepted(uint64_t connection, bool accepted, const std::string& block_id,
                       const OnStored& on_stored);
  void FailReliableStore(const std::string& block_id, const std::string& reason);
  void ScheduleCut();
  void Report(BlockRdd::BlockInfo info);
  void WatchReplica(BlockRdd::BlockInfo info, sim::NodeId peer, uint64_t peer_life,
                    std::shared_ptr<bool> reported);
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
  RecordIds buffer_ids_;  // parallel to buffer_
  int64_t next_block_ = 0;
  int64_t blocks_in_flight_ = 0;
  sim::TimerId cut_timer_;
  // Each Start is a new connection to the source: acknowledgements of an older one are dropped.
  uint64_t connection_ = 0;
  // Reliable blocks being stored, by block id: their on_stored callbacks, run once accepted.
  std::map<std::string, OnStored> pending_acks_;
};

}  // namespace streamsim::engine
