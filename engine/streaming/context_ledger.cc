// The StreamingContext's part in the run's ledger (ledger/ledger.h): the watched directories'
// ledgers, one allocation per (driver life, batch time, input stream), and output emissions.
// Sources and receivers write the rest; batch outcomes are written where a batch completes
// (job_generator.cc). Nothing here costs simulated time or changes what the run does.

#include "engine/streaming/streaming_context.h"

namespace streamsim::engine {

// One ledger source per watched directory, named after whichever of its producer or its stream
// was made first (the scenario makes both under the source's name).
FileLedger* StreamingContext::FileLedgerFor(const std::string& directory,
                                            const std::string& source_name) {
  auto known = file_ledgers_.find(directory);
  if (known != file_ledgers_.end()) return &known->second;
  const int32_t source = ledger_.RegisterSource(source_name);
  return &file_ledgers_.emplace(directory, FileLedger(SourceLedger(&ledger_, source)))
              .first->second;
}

void StreamingContext::ListenForAllocations() {
  for (DStream* input : input_streams_) {
    input->set_allocation_listener([this](const DStream& stream, InputAllocation allocation) {
      OnInputAllocated(stream, std::move(allocation));
    });
  }
}

// Whether this driver life had not recorded `input`'s allocation at `t` before (and now has).
bool StreamingContext::FirstAllocationOf(const std::string& input, sim::Instant t) {
  std::map<int64_t, int64_t>& runs = allocations_recorded_[{driver_life_, input}];
  const int64_t step = config_.batch_interval.us;
  auto next = runs.upper_bound(t.us);
  if (next != runs.begin() && std::prev(next)->second >= t.us) return false;  // in a run
  auto run = next;
  if (next != runs.begin() && std::prev(next)->second + step == t.us) {
    run = std::prev(next);
    run->second = t.us;
  } else {
    run = runs.emplace(t.us, t.us).first;
  }
  if (next != runs.end() && next->first == t.us + step) {
    run->second = next->second;
    runs.erase(next);
  }
  return true;
}

// An input stream made its RDD for a batch. A stream with no receiver hands its records over
// then (every time); the allocation is written once per driver life and batch time, even if the
// stream makes the RDD again after forgetting it.
void StreamingContext::OnInputAllocated(const DStream& input, InputAllocation allocation) {
  if (allocation.handed_over && !allocation.records.empty()) {
    ledger_.Delivered(allocation.records, world_->Now());
  }
  const sim::Instant t = allocation.batch_time;
  if (!FirstAllocationOf(input.name(), t)) return;
  BatchAllocation recorded;
  recorded.driver_life = driver_life_;
  recorded.batch_time = t;
  recorded.input = input.name();
  recorded.records = std::move(allocation.records);
  recorded.recovered = t < recovery_end_;
  recorded.unavailable = allocation.unavailable;
  ledger_.Allocated(std::move(recorded));
}

// An output job of batch `t` succeeded and the driver finished it. `records` are its partition
// results concatenated; the ledger keeps what a collect returned and what a print printed (its
// first print_count records).
void StreamingContext::RecordEmission(const OutputOperation& output, sim::Instant t,
                                      const Values& records) {
  OutputEmission emission;
  emission.output = output.name;
  emission.driver_life = driver_life_;
  emission.batch_time = t;
  emission.emitted_at = world_->Now();
  if (output.kind == OutputOperation::Kind::kCollect) emission.records = records;
  if (output.kind == OutputOperation::Kind::kPrint) {
    const size_t printed = std::min(records.size(), static_cast<size_t>(output.print_count));
    emission.records.assign(records.begin(),
                            records.begin() + static_cast<std::ptrdiff_t>(printed));
  }
  ledger_.Emitted(std::move(emission));
}

}  // namespace streamsim::engine
