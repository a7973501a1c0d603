// Helpers of the oracle tests: a pipeline from scenario YAML (through the loader and
// scenarios::OraclePipeline), the batch inputs of its queue sources, records written in the
// expression language, and a rendering of records that tells strings from numbers and tuples from
// lists, sorted, so that two batches compare as multisets with a readable failure message.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "checker/oracle.h"
#include "harness/oracle_pipeline.h"
#include "records/expression.h"
#include "scenarios/loader.h"

namespace streamsim::checker::testing {

inline sim::Instant At(int64_t seconds) { return sim::Instant{seconds * 1000000}; }

inline scenarios::Scenario LoadOrDie(const std::string& yaml) {
  scenarios::LoadResult<scenarios::Scenario> loaded =
      scenarios::LoadScenarioText(yaml, "oracle-test.yaml");
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().ToString());
  return loaded.ok() ? std::move(loaded.value()) : scenarios::Scenario{};
}

// The records the queue sources of `scenario` give batches 1..batches (batch k at k intervals
// after zero time 0), as the engine's queueStream does.
inline std::map<sim::Instant, BatchInput> QueueInputs(const scenarios::Scenario& scenario,
                                                      int batches) {
  std::map<sim::Instant, BatchInput> inputs;
  const sim::Duration interval = scenario.streaming.batch_interval;
  for (int k = 1; k <= batches; ++k) {
    BatchInput& input = inputs[sim::Instant{} + interval * k];
    for (const scenarios::SourceSpec& source : scenario.sources) {
      if (source.kind != scenarios::SourceKind::kQueue) continue;
      const size_t index = static_cast<size_t>(k - 1);
      if (source.one_at_a_time && index < source.batches.size()) {
        input[source.name] = source.batches[index];
      } else if (!source.one_at_a_time && index == 0) {
        for (const records::Values& batch : source.batches) {
          input[source.name].insert(input[source.name].end(), batch.begin(), batch.end());
        }
      }
    }
  }
  return inputs;
}

// The oracle over a YAML scenario's queue sources for `batches` batches.
inline OracleResult RunYaml(const std::string& yaml, int batches) {
  const scenarios::Scenario scenario = LoadOrDie(yaml);
  return RunOracle(harness::OraclePipeline(scenario), QueueInputs(scenario, batches));
}

// Records written as a list expression: "[(\"a\", 1), (\"b\", [2, 3])]".
inline records::Values Records(const std::string& list_expression) {
  const auto parsed = records::Expression::Parse(list_expression);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? parsed.value().Evaluate(records::Bindings{}).Items() : records::Values{};
}

// A value with strings quoted: "(\"a\", [1, 2])".
inline std::string Typed(const records::Value& value) {
  switch (value.kind()) {
    case records::Value::Kind::kString:
      return "\"" + value.AsString() + "\"";
    case records::Value::Kind::kTuple:
    case records::Value::Kind::kList: {
      const bool tuple = value.kind() == records::Value::Kind::kTuple;
      std::string text = tuple ? "(" : "[";
      for (size_t i = 0; i < value.Items().size(); ++i) {
        text += (i == 0 ? "" : ", ") + Typed(value.Items()[i]);
      }
      return text + (tuple ? ")" : "]");
    }
    default:
      return value.ToDisplayString();
  }
}

// The records sorted by Value's order, rendered one after another.
inline std::string SortedText(records::Values records) {
  std::sort(records.begin(), records.end());
  return Typed(records::Value::List(std::move(records)));
}

// The batch of `stream` at `seconds`, sorted and rendered; "no batch" or "failed: <message>".
inline std::string BatchText(const OracleResult& result, const std::string& stream,
                             int64_t seconds) {
  const OracleBatch* batch = result.Find(stream, At(seconds));
  if (batch == nullptr) return "no batch";
  if (batch->failed()) return "failed: " + *batch->failure;
  return SortedText(batch->records);
}

// The expected side: a list expression, sorted and rendered the same way.
inline std::string Expected(const std::string& list_expression) {
  return SortedText(Records(list_expression));
}

}  // namespace streamsim::checker::testing
