// Checking a finished run (harness/run_check.h).
#include "harness/run_check.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/finding.h"
#include "checker/verdict.h"
#include "externals/kafka_broker.h"
#include "harness/guarantee_configuration.h"
#include "harness/oracle_pipeline.h"
#include "scenarios/output_name.h"

namespace streamsim::harness {
namespace {

// How often the check as the run goes settles batches, in batch intervals: often enough that
// little waits, seldom enough that its own bookkeeping stays small beside the batches'.
constexpr int64_t kBatchesPerSettling = 4;

int ReceiverCount(const checker::GuaranteeConfiguration& configuration) {
  return static_cast<int>(std::count_if(
      configuration.sources.begin(), configuration.sources.end(),
      [](const checker::SourceConfiguration& source) { return source.receiver_based; }));
}

// "crash driver, restart after 2s": the fault in words without its " at 8.5s" (findings say when).
std::string DescribeWithoutTime(const faults::Fault& fault) {
  std::string description = faults::Describe(fault);
  const std::string at = " at " + sim::FormatDuration(fault.at);
  const size_t position = description.find(at);
  if (position != std::string::npos) description.erase(position, at.size());
  return description;
}

std::vector<checker::OutputUnderCheck> OutputsOf(const scenarios::Scenario& scenario) {
  const checker::GuaranteeConfiguration configuration = GuaranteeConfigurationOf(scenario);
  std::vector<checker::OutputUnderCheck> outputs;
  for (size_t i = 0; i < scenario.outputs.size(); ++i) {
    const scenarios::OutputSpec& spec = scenario.outputs[i];
    outputs.push_back({scenarios::OutputName(spec), spec.stream, configuration.outputs.at(i).sink,
                       spec.sink_table});
  }
  return outputs;
}

// The run's faults in time order (a run starts at simulated time 0).
std::vector<checker::FaultEvent> FaultEventsOf(const Simulation& simulation) {
  std::vector<checker::FaultEvent> events;
  for (const faults::Fault& fault : simulation.faults()) {
    events.push_back(
        {sim::Instant() + fault.at, faults::KindOf(fault), DescribeWithoutTime(fault)});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  return events;
}

bool StartsWith(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// A job that fails is not retried by Spark Streaming: the batch is marked failed and its records
// reach no output of that job. The calculator's table assumes jobs succeed, so a run where one
// failed is predicted as at most at-most-once, whatever its faults.
checker::Prediction FailedJobPrediction(const ledger::BatchOutcome& failed) {
  return {"a failed job", checker::Guarantee::kAtMostOnce,
          fmt::format("the job of batch {} failed and Spark does not run a failed batch again: its "
                      "records reach no output",
                      checker::check::FormatMillis(failed.batch_time))};
}

// The guarantee the calculator predicts for the run's kinds of fault together. Spark's
// guarantees with a checkpoint directory hold for a driver that recovers from a checkpoint; a
// restarted driver that found none (its predecessor crashed before writing the first) starts as
// without one (it does not read the block tracker's log either), so such a run is predicted as
// without a checkpoint directory, and the reason says so.
checker::Prediction CombinedPrediction(const scenarios::Scenario& scenario,
                                       const ledger::Ledger& ledger) {
  checker::GuaranteeConfiguration configuration = GuaranteeConfigurationOf(scenario);
  std::string afresh;
  if (configuration.checkpoint && !ledger.fresh_starts().empty()) {
    configuration.checkpoint = false;
    afresh = fmt::format(
        "; the driver restarted at {} found no readable checkpoint (the one "
        "before it crashed before writing its first), so the run is predicted "
        "as without a checkpoint directory",
        checker::check::FormatSeconds(ledger.fresh_starts().begin()->second));
  }
  const std::vector<checker::Prediction> predictions =
      checker::PredictGuarantees(configuration, FaultKindsOf(scenario));
  checker::Prediction combined = predictions.front();
  for (const checker::Prediction& prediction : predictions) {
    combined = checker::PredictTogether(combined, prediction);
  }
  if (auto together = checker::PredictInteraction(configuration, FaultKindsOf(scenario))) {
    combined = checker::PredictTogether(combined, *together);
  }
  if (const std::optional<ledger::BatchOutcome> failed = FirstFailedBatch(ledger)) {
    combined = checker::PredictTogether(combined, FailedJobPrediction(*failed));
  }
  combined.reason += afresh;
  return combined;
}

checker::Finding ContradictionOf(const checker::Prediction& prediction, checker::Verdict verdict) {
  checker::Finding finding;
  finding.check = "calculator";
  finding.problem = "contradiction";
  finding.subject = prediction.fault;
  finding.message =
      fmt::format("the guarantee calculator predicts {} for {} ({}), but the run observed {}",
                  checker::GuaranteeName(prediction.guarantee), prediction.fault, prediction.reason,
                  checker::VerdictName(verdict));
  return finding;
}

}  // namespace

std::optional<ledger::BatchOutcome> FirstFailedBatch(const ledger::Ledger& ledger) {
  std::optional<ledger::BatchOutcome> first;
  for (const ledger::BatchOutcome& outcome : ledger.outcomes()) {
    if (outcome.failure.empty()) continue;
    if (!first || outcome.batch_time < first->batch_time) first = outcome;
  }
  return first;
}

checker::RunFacts RunFactsOf(const scenarios::Scenario& scenario, Simulation& simulation) {
  const engine::StreamingContext& context = simulation.context();
  checker::RunFacts facts;
  facts.ledger = &context.ledger();
  facts.pipeline = OraclePipeline(scenario);
  facts.zero_time = context.initial_zero_time();
  facts.outputs = OutputsOf(scenario);
  facts.sink_database = simulation.sink_database_path();
  facts.faults = FaultEventsOf(simulation);
  const engine::StreamingConfig& config = context.config();
  if (config.stop_after_batches) {
    facts.last_batch_time = facts.zero_time + config.batch_interval * *config.stop_after_batches;
  }
  facts.configuration = GuaranteeConfigurationOf(scenario);
  facts.receiver_count = ReceiverCount(facts.configuration);
  facts.executor_core_count = config.workers * config.cores_per_worker;
  facts.durable_batch_ledger = simulation.durable_batch_ledger();
  RefreshRunFacts(simulation, &facts);
  return facts;
}

void RefreshRunFacts(Simulation& simulation, checker::RunFacts* facts) {
  const engine::StreamingContext& context = simulation.context();
  facts->end_time = simulation.world().Now();
  facts->stop_reason = context.stop_reason();
  facts->application_down_at_end = StartsWith(facts->stop_reason, "application down");
  facts->graceful_stop = StartsWith(facts->stop_reason, "stopped gracefully");
  for (const auto& [stream_id, status] : context.receiver_tracker().statuses()) {
    facts->receiver_inputs[stream_id] = status.name;
  }
  for (const auto& broker : simulation.externals().kafka_brokers) {
    facts->topic_sources[broker->topic()] = broker->ledger().source();
  }
  for (const auto& [directory, files] : context.file_ledgers()) {
    for (const auto& [path, file] : files.files()) {
      facts->file_records[path] = {files.source().source(), file.partition, file.lines};
    }
  }
}

Status RunCheckingAsItGoes(const scenarios::Scenario& scenario, Simulation& simulation,
                           std::unique_ptr<checker::RunningCheck>* running) {
  auto tick = [&](sim::Instant now) {
    if (!*running) {
      *running = std::make_unique<checker::RunningCheck>(RunFactsOf(scenario, simulation),
                                                         simulation.context().run_ledger(),
                                                         simulation.durable_reader());
    }
    RefreshRunFacts(simulation, &(*running)->facts());
    (*running)->Advance(now);
  };
  return simulation.Run(simulation.context().config().batch_interval * kBatchesPerSettling, tick);
}

RunCheck UncheckedRunOf(const scenarios::Scenario& scenario, Simulation& simulation) {
  RunCheck check;
  check.prediction = CombinedPrediction(scenario, simulation.context().ledger());
  check.first_failed_batch = FirstFailedBatch(simulation.context().ledger());
  if (scenario.expect.guarantee) {
    check.expected = checker::ParseGuarantee(*scenario.expect.guarantee);
  }
  return check;
}

RunCheck CheckRunOf(const scenarios::Scenario& scenario, Simulation& simulation,
                    const checker::SettledPart* settled) {
  RunCheck check = UncheckedRunOf(scenario, simulation);
  checker::RunFacts facts = RunFactsOf(scenario, simulation);
  facts.settled = settled;
  checker::CheckReport& report = check.report.emplace(checker::CheckRun(facts));
  // Liveness is not a delivery guarantee: a run that stopped early contradicts no prediction.
  if (report.verdict != checker::Verdict::kLivenessFailure &&
      !checker::Satisfies(report.verdict, check.prediction.guarantee)) {
    report.findings.push_back(ContradictionOf(check.prediction, report.verdict));
  }
  if (check.expected) check.expectation_met = checker::Satisfies(report.verdict, *check.expected);
  return check;
}

}  // namespace streamsim::harness
