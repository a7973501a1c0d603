// Tests of the reliable-store mechanism of engine/receivers/receiver.h with a scripted source: a
// block handed with StoreBlock is stored and reported, and its on_stored runs only once the driver
// has accepted it; a receiver or executor that dies first never runs it, and the relaunched
// receiver connects again so the source can re-deliver.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/unit/engine/test_support.h"

namespace streamsim::engine {
namespace {

using testing::Harness;
using testing::I;

// A reliable source that does nothing by itself: the test stores blocks through it.
class ScriptedSource : public ReceiverSource {
 public:
  bool reliable() const override { return true; }
  void ConnectReliable(sim::NodeId receiver_node, StoreBlock store_block) override {
    node = receiver_node;
    store = std::move(store_block);
    ++connections;
  }
  void Disconnect() override { store = nullptr; }
  // `records` as the device's next records, produced now: their ledger ids (partition 0).
  RecordIds Produce(const Values& records, sim::Instant now) {
    RecordIds ids;
    for (const Value& record : records) {
      ledger_.Produced(0, next_sequence, record, now);
      ids.push_back(ledger_.Id(0, next_sequence++));
    }
    return ids;
  }

  sim::NodeId node;
  StoreBlock store;
  int connections = 0;
  int64_t next_sequence = 0;
};

struct ReliableHarness {
  ReliableHarness() : harness(testing::Batches(4)) {
    auto owned = std::make_unique<ScriptedSource>();
    source = owned.get();
    harness.Collect(harness.context->ReceiverStream("device", std::move(owned)), "device");
  }
  // Stores `records` at `ms` on the receiver's node; on_stored notes the time and whether the
  // driver had the block by then.
  void StoreAt(int64_t ms, records::Values records) {
    harness.world->ScheduleGlobal(sim::Duration::Millis(ms), [this, records]() {
      ASSERT_TRUE(source->store);
      harness.world->RunOnNode(source->node, [this, records]() {
        source->store(records, source->Produce(records, harness.world->Now()), [this]() {
          acknowledged_at_ms.push_back(harness.world->Now().millis());
          blocks_known_at_ack.push_back(
              harness.context->receiver_tracker().statuses().at(0).blocks);
        });
      });
    });
  }
  Harness harness;
  ScriptedSource* source = nullptr;
  std::vector<int64_t> acknowledged_at_ms;
  std::vector<int64_t> blocks_known_at_ack;
};

TEST(ReliableReceiverTest, AStoredBlockIsAcknowledgedAfterTheDriverAcceptedIt) {
  ReliableHarness run;
  run.StoreAt(1500, {I(1), I(2), I(3)});
  run.harness.Run();
  // Stored (replicated to worker/1), reported, accepted, answered: acknowledged a few network
  // hops later, with the tracker already holding the block.
  ASSERT_EQ(run.acknowledged_at_ms.size(), 1u);
  EXPECT_GE(run.acknowledged_at_ms[0], 1500);
  EXPECT_LT(run.acknowledged_at_ms[0], 1520);
  EXPECT_EQ(run.blocks_known_at_ack, std::vector<int64_t>{1});
  EXPECT_EQ(run.source->connections, 1);
  // The whole block is batch 2's input, in order; the block generator played no part.
  EXPECT_EQ(
      testing::Timed(run.harness, "device"),
      (testing::TimedBatches{{1000, {}}, {2000, {I(1), I(2), I(3)}}, {3000, {}}, {4000, {}}}));
  EXPECT_EQ(run.harness.context->receiver_tracker().statuses().at(0).records, 3);
}

TEST(ReliableReceiverTest, AnExecutorDyingBeforeTheAnswerNeverAcknowledges) {
  ReliableHarness run;
  run.StoreAt(1500, {I(1), I(2), I(3)});
  // The receiver's worker dies right after the store, before the replica answered.
  run.harness.world->ScheduleGlobal(sim::Duration::Micros(1'500'001), [&run]() {
    run.harness.context->CrashWorker(0, std::nullopt);
  });
  run.harness.Run();
  EXPECT_EQ(run.acknowledged_at_ms, std::vector<int64_t>{});
  // Relaunched on worker/1 after the restart delay: the source is connected again (and would
  // re-deliver the unacknowledged block).
  EXPECT_EQ(run.source->connections, 2);
  EXPECT_EQ(run.source->node, run.harness.context->cluster().executors[1].node);
  EXPECT_EQ(run.harness.context->receiver_tracker().statuses().at(0).blocks, 0);
}

TEST(ReliableReceiverTest, AReceiverCrashBeforeTheAnswerNeverAcknowledges) {
  ReliableHarness run;
  run.StoreAt(1500, {I(1), I(2), I(3)});
  run.harness.world->ScheduleGlobal(sim::Duration::Micros(1'500'001),
                                    [&run]() { run.harness.context->CrashReceiver("device"); });
  run.harness.Run();
  // The executor lived on, so the block was stored and reached the driver (batch 2 has it), but
  // the receiver that stored it is gone: no acknowledgement. The source, connected again, would
  // send it again: a duplicate, never a loss.
  EXPECT_EQ(run.acknowledged_at_ms, std::vector<int64_t>{});
  EXPECT_EQ(run.source->connections, 2);
  EXPECT_EQ(run.harness.context->receiver_tracker().statuses().at(0).blocks, 1);
  EXPECT_EQ(testing::Timed(run.harness, "device")[1],
            (std::pair<int64_t, Values>{2000, {I(1), I(2), I(3)}}));
}

TEST(ReliableReceiverTest, AStoreFromAnOldConnectionIsIgnored) {
  ReliableHarness run;
  StoreBlock old_store;
  run.harness.world->ScheduleGlobal(sim::Duration::Millis(1200), [&]() {
    old_store = run.source->store;
    run.harness.context->CrashReceiver("device");
  });
  // After the relaunch (at 3.2 s) the first connection's store function is used: ignored.
  run.harness.world->ScheduleGlobal(sim::Duration::Millis(3500), [&]() {
    run.harness.world->RunOnNode(run.source->node, [&]() {
      old_store({I(9)}, run.source->Produce({I(9)}, run.harness.world->Now()),
                [&]() { run.acknowledged_at_ms.push_back(0); });
    });
  });
  run.harness.Run();
  EXPECT_EQ(run.source->connections, 2);
  EXPECT_EQ(run.acknowledged_at_ms, std::vector<int64_t>{});
  EXPECT_EQ(run.harness.context->receiver_tracker().statuses().at(0).records, 0);
}

}  // namespace
}  // namespace streamsim::engine
