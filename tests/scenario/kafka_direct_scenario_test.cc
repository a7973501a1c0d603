// Pins what scenarios/library/kafka-direct.yaml is there to show: after a driver crash and a
// supervised restart from the checkpoint, the batch of the checkpoint's time is re-run over the
// same offset ranges, the first batch after the down time takes the whole backlog, and the running
// word totals end equal to a count made here, independently, of every record the broker holds
// below the stream's offsets: exactly-once input.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "engine/connectors/kafka_direct_dstream.h"
#include "harness/simulation.h"
#include "scenarios/loader.h"

namespace streamsim::scenarios {
namespace {

class CollectingListener : public engine::OutputListener {
 public:
  void OnCollect(const std::string& output, int64_t batch_time_ms,
                 const records::Values& records) override {
    if (output == "totals") totals.push_back({batch_time_ms, records});
  }
  struct Batch {
    int64_t batch_time_ms;
    records::Values records;
  };
  std::vector<Batch> totals;
};

// Words per word in every record of the topic below the stream's current offsets, counted here.
std::map<std::string, int64_t> WordsInTheTopic(const engine::StreamingContext& context) {
  const auto* stream =
      dynamic_cast<const engine::DirectKafkaInputDStream*>(context.FindStream("words"));
  EXPECT_NE(stream, nullptr);
  std::map<std::string, int64_t> counts;
  if (stream == nullptr) return counts;
  const protocols::KafkaTopic& topic = stream->topic();
  for (int p = 0; p < topic.partitions(); ++p) {
    auto read = topic.Read(p, 0, stream->current_offsets().at(p));
    EXPECT_TRUE(read.ok());
    for (const protocols::KafkaRecord& record : read.value()) {
      size_t start = 0;
      while (start <= record.value.size()) {
        const size_t end = std::min(record.value.find(' ', start), record.value.size());
        ++counts[record.value.substr(start, end - start)];
        start = end + 1;
      }
    }
  }
  return counts;
}

TEST(KafkaDirectScenario, RecoversWithExactlyOnceInputAndTakesTheBacklogAtOnce) {
  Scenario scenario;
  LoadError error;
  {
    LoadResult<Scenario> loaded = LoadScenarioFile(std::string(STREAMSIM_SOURCE_DIR) +
                                                   "/scenarios/library/kafka-direct.yaml");
    ASSERT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
    scenario = std::move(loaded.value());
  }
  CollectingListener listener;
  auto built = harness::Simulation::Build(scenario, {}, &listener);
  if (!built.ok()) error = built.error();
  std::unique_ptr<harness::Simulation> simulation = built.ok() ? std::move(built.value()) : nullptr;
  ASSERT_NE(simulation, nullptr) << error.ToString();
  ASSERT_TRUE(simulation->Run().ok());
  const engine::StreamingContext& context = simulation->context();
  EXPECT_EQ(context.stop_reason(), "stopped after 15 batches");
  // 200 records/s; crash at 5.5 s, restart at 9.5 s from the checkpoint of 5 s: batch 5 s again
  // (same 200 records), batch 6 s with everything produced until 9.49 s, 7 s to 9 s empty.
  std::vector<int64_t> input_records;
  for (const engine::BatchInfo& batch : context.batches()) {
    input_records.push_back(batch.input_records);
  }
  EXPECT_EQ(input_records, (std::vector<int64_t>{198, 200, 200, 200, 200, 200, 900, 0, 0, 0, 100,
                                                 200, 200, 200, 200, 200}));
  // The re-run batch 5 s emitted the same totals twice (at-least-once output).
  ASSERT_EQ(listener.totals.size(), 16u);
  EXPECT_EQ(listener.totals[4].batch_time_ms, 5000);
  EXPECT_EQ(listener.totals[5].batch_time_ms, 5000);
  EXPECT_EQ(listener.totals[4].records, listener.totals[5].records);
  // The last totals count every word in the topic up to the last batch's offsets, once.
  std::map<std::string, int64_t> totals;
  for (const records::Value& pair : listener.totals.back().records) {
    totals[pair.Items().at(0).AsString()] = pair.Items().at(1).AsInt();
  }
  const std::map<std::string, int64_t> expected = WordsInTheTopic(context);
  EXPECT_EQ(totals, expected);
  int64_t words = 0;
  for (const auto& [word, count] : expected) words += count;
  EXPECT_EQ(words, 3 * (198 + 200 * 4 + 900 + 100 + 200 * 5));
}

}  // namespace
}  // namespace streamsim::scenarios
