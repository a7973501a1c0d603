// The ledger keeps no copy of a generated record: its value is drawn again from its source's
// value function at the record's draw number. Records given with their value (a queue, a file
// written by someone else, a test's append) keep it.
#include "ledger/ledger.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ledger/source_ledger.h"
#include "records/generators.h"

namespace streamsim::ledger {
namespace {

using records::Value;
using records::Values;

std::shared_ptr<const records::RecordGenerator> Integers() {
  records::GeneratorConfig config;
  config.kind = "integers";
  return records::MakeGenerator(config, 5);
}

TEST(LedgerTest, GeneratedRecordsAreDrawnAgainAndGivenOnesKept) {
  Ledger ledger;
  const SourceLedger events(&ledger, ledger.RegisterSource("events"));
  const auto generator = Integers();
  events.DrawsFrom(generator);
  events.ProducedGenerated(0, 0, 0, sim::Instant{10}, generator->At(0));
  events.ProducedGenerated(0, 1, 1, sim::Instant{20}, generator->At(1));
  events.Produced(0, 2, std::string("given"), sim::Instant{30});
  EXPECT_EQ(ledger.ValueOf({0, 0, 0}), Value::String(generator->At(0)));
  EXPECT_EQ(ledger.ValueOf({0, 0, 1}), Value::String(generator->At(1)));
  EXPECT_EQ(ledger.ValueOf({0, 0, 2}), Value::String("given"));
  EXPECT_EQ(ledger.Entry({0, 0, 1}).produced_us, 20);
  EXPECT_FALSE(ledger.WasProduced({0, 0, 3}));
  // The check takes a kept value; read again, it is drawn again.
  Values taken;
  ledger.TakeValuesIfProduced({{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 0, 3}}, &taken);
  EXPECT_EQ(taken, (Values{Value::String(generator->At(0)), Value::String(generator->At(1)),
                           Value::String("given")}));
  EXPECT_EQ(ledger.ValueOf({0, 0, 0}), Value::String(generator->At(0)));
}

// A round-robin producer over 3 partitions: partition 1 holds draws 1, 4, 7, ...; a broker down
// for draws 10..15 makes offset 3 of partition 1 draw 16.
TEST(LedgerTest, DrawNumbersFollowRunsWithTheirStride) {
  Ledger ledger;
  const SourceLedger topic(&ledger, ledger.RegisterSource("topic"));
  const auto generator = Integers();
  topic.DrawsFrom(generator);
  const int64_t draws[] = {1, 4, 7, 16, 19, 20};
  for (int64_t offset = 0; offset < 6; ++offset) {
    topic.ProducedGenerated(1, offset, draws[offset], sim::Instant{offset},
                            generator->At(draws[offset]));
  }
  // The values kept while a check may read them leave with the retired records: from then on
  // they are drawn again.
  ledger.RetireRecords({0, 1}, 6, [](int64_t, const RecordEntry&) { return false; });
  for (int64_t offset = 0; offset < 6; ++offset) {
    EXPECT_EQ(ledger.ValueOf({0, 1, offset}), Value::String(generator->At(draws[offset])))
        << offset;
  }
}

TEST(LedgerTest, ProducingAnIdTwiceKeepsTheFirst) {
  Ledger ledger;
  const int32_t source = ledger.RegisterSource("queue");
  ledger.Produced({source, 0, 0}, Value::Int(1), sim::Instant{5});
  ledger.Produced({source, 0, 0}, Value::Int(2), sim::Instant{6});
  EXPECT_EQ(ledger.ValueOf({source, 0, 0}), Value::Int(1));
  EXPECT_EQ(ledger.Entry({source, 0, 0}).produced_us, 5);
}

// A run nobody checks keeps only batch-level facts.
TEST(LedgerTest, WithoutRecordsOnlyDriverLivesAndFailedBatchesAreKept) {
  Ledger ledger;
  ledger.KeepRecords(false);
  const int32_t source = ledger.RegisterSource("queue");
  ledger.Produced({source, 0, 0}, Value::Int(1), sim::Instant{5});
  ledger.Delivered({{source, 0, 0}}, sim::Instant{6});
  ledger.BlockCreated(1, "input-0-0", {{source, 0, 0}});
  ledger.Allocated(BatchAllocation{1, sim::Instant{1000000}, "queue", {{source, 0, 0}}});
  ledger.Emitted(OutputEmission{
      "print:queue", 1, sim::Instant{1000000}, {Value::Int(1)}, sim::Instant{1000001}});
  ledger.DriverStarted(1, sim::Instant{0});
  ledger.BatchFinished(1, sim::Instant{1000000}, "");
  ledger.BatchFinished(1, sim::Instant{2000000}, "boom");
  EXPECT_TRUE(ledger.partitions().empty());
  EXPECT_TRUE(ledger.allocations().empty());
  EXPECT_TRUE(ledger.emissions().empty());
  EXPECT_TRUE(ledger.BlockRecords(1, "input-0-0", "", 0).empty());
  EXPECT_EQ(ledger.sources(), std::vector<std::string>{"queue"});
  EXPECT_EQ(ledger.driver_starts().size(), 1u);
  ASSERT_EQ(ledger.outcomes().size(), 1u);  // the failed one: awaitTermination's error
  EXPECT_EQ(ledger.outcomes()[0].batch_time, sim::Instant{2000000});
  EXPECT_EQ(ledger.outcomes()[0].failure, "boom");
  ASSERT_EQ(ledger.life_batches().size(), 1u);
  EXPECT_EQ(ledger.life_batches().at(1).last_time, sim::Instant{2000000});
}

// A record a source never made, kept below the retired ones, is the one that is not produced.
TEST(LedgerTest, AllProducedLooksAtTheEarlierRecordsBelowTheKeptOnes) {
  Ledger ledger;
  const int32_t source = ledger.RegisterSource("queue");
  for (int64_t sequence : {0, 1, 3, 4}) {
    ledger.Produced({source, 0, sequence}, Value::Int(sequence), sim::Instant{sequence});
  }
  ledger.RetireRecords({source, 0}, 4,
                       [](int64_t sequence, const RecordEntry&) { return sequence != 2; });
  EXPECT_TRUE(ledger.AllProduced({source, 0}, 0, 2));
  EXPECT_FALSE(ledger.AllProduced({source, 0}, 0, 4));
  EXPECT_FALSE(ledger.AllProduced({source, 0}, 2, 3));
  EXPECT_TRUE(ledger.AllProduced({source, 0}, 3, 5));
  EXPECT_FALSE(ledger.AllProduced({source, 0}, 3, 6));
  EXPECT_FALSE(ledger.AllProduced({source, 1}, 0, 1));
  EXPECT_TRUE(ledger.AllProduced({source, 1}, 1, 1));
}

// Retiring a partition's settled records keeps the ones a check still needs
// (checker/running_check.h) and answers for the others: produced, but no entry.
TEST(LedgerTest, RetiredRecordsWereProducedAndTheOthersStayAsEarlierRecords) {
  Ledger ledger;
  const int32_t source = ledger.RegisterSource("queue");
  for (int64_t sequence = 0; sequence < 6; ++sequence) {
    ledger.Produced({source, 0, sequence}, Value::Int(sequence), sim::Instant{sequence});
  }
  ledger.Delivered({{source, 0, 0}, {source, 0, 1}, {source, 0, 3}}, sim::Instant{10});
  // Sequences 0, 1 and 3 were given to a settled batch; 2 was lost on the way.
  ledger.RetireRecords({source, 0}, 4,
                       [](int64_t sequence, const RecordEntry&) { return sequence != 2; });
  const PartitionRecords& records = ledger.partitions().at({source, 0});
  EXPECT_EQ(records.first_kept, 4);
  ASSERT_EQ(records.earlier.size(), 1u);
  EXPECT_EQ(records.earlier[0].sequence, 2);
  EXPECT_EQ(records.earlier[0].next_retired_delivery_us, 10);  // 3's delivery, after it
  EXPECT_EQ(records.first_retired_delivered, 0);
  EXPECT_TRUE(ledger.WasProduced({source, 0, 1}));
  EXPECT_TRUE(ledger.WasProduced({source, 0, 2}));
  EXPECT_EQ(ledger.Entry({source, 0, 2}).produced_us, 2);
  EXPECT_TRUE(ledger.AllProduced({source, 0}, 0, 6));
  EXPECT_FALSE(ledger.AllProduced({source, 0}, 5, 7));
  EXPECT_EQ(ledger.ValueOf({source, 0, 1}), Value::Int(1));
  ledger.Delivered({{source, 0, 1}}, sim::Instant{20});  // a retired record again: no entry to mark
  EXPECT_EQ(ledger.last_first_delivery(), sim::Instant{10});
}

}  // namespace
}  // namespace streamsim::ledger
