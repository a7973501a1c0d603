// The run's ledgers (ledger/ledger.h).
#include "ledger/ledger.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <set>

#include "base/assert.h"

namespace streamsim::ledger {
namespace {

// The entry of a produced record, or null (const or not, as `partitions` is).
template <typename Partitions>
auto* FindEntry(Partitions& partitions, const RecordId& id) {
  auto partition = partitions.find({id.source, id.partition});
  decltype(partition->second.Find(0)) found = nullptr;
  if (partition == partitions.end()) return found;
  found = partition->second.Find(id.sequence);
  return found != nullptr && found->produced_us >= 0 ? found : nullptr;
}

}  // namespace

const RecordEntry* PartitionRecords::Find(int64_t sequence) const {
  return const_cast<PartitionRecords*>(this)->Find(sequence);
}

RecordEntry* PartitionRecords::Find(int64_t sequence) {
  if (sequence < 0) return nullptr;
  if (sequence < first_kept) {
    const auto found =
        std::lower_bound(earlier.begin(), earlier.end(), sequence,
                         [](const Earlier& record, int64_t s) { return record.sequence < s; });
    return found == earlier.end() || found->sequence != sequence ? nullptr : &found->entry;
  }
  const auto index = static_cast<size_t>(sequence - first_kept);
  return index < entries.size() ? &entries[index] : nullptr;
}

bool PartitionRecords::Retired(int64_t sequence) const {
  return sequence >= 0 && sequence < first_kept && Find(sequence) == nullptr;
}

int32_t Ledger::RegisterSource(std::string name) {
  source_names_.push_back(std::move(name));
  return static_cast<int32_t>(source_names_.size() - 1);
}

void Ledger::SetValueFunction(int32_t source, ValueFunction function) {
  value_functions_[source] = std::move(function);
}

RecordEntry* Ledger::NewEntry(const RecordId& id) {
  return NewEntryIn(partitions_[{id.source, id.partition}], id.sequence);
}

RecordEntry* Ledger::NewEntryIn(PartitionRecords& partition, int64_t sequence) {
  STREAMSIM_ASSERT(sequence >= 0);
  if (sequence < partition.first_kept) return nullptr;  // produced before, and retired or kept
  const auto index = static_cast<size_t>(sequence - partition.first_kept);
  if (partition.entries.size() == index) {
    partition.entries.emplace_back();  // the common case: the partition's next record
  } else if (partition.entries.size() < index) {
    partition.entries.resize(index + 1);
  }
  RecordEntry& entry = partition.entries[index];
  return entry.produced_us >= 0 ? nullptr : &entry;
}

Ledger::GeneratedPartition& Ledger::GeneratedPartitionOf(std::pair<int32_t, int32_t> key) {
  if (generated_cursor_ == nullptr || generated_cursor_->key != key) {
    STREAMSIM_ASSERT(value_functions_.contains(key.first));
    GeneratedPartition& partition = generated_[key];
    partition.key = key;
    partition.records = &partitions_[key];
    generated_cursor_ = &partition;
  }
  return *generated_cursor_;
}

void Ledger::Produced(const RecordId& id, records::Value value, sim::Instant at) {
  if (!keep_records_) return;
  RecordEntry* entry = NewEntry(id);
  if (entry == nullptr) return;
  entry->produced_us = at.us;
  kept_values_.emplace(id, std::move(value));
}

void Ledger::ProducedGenerated(const RecordId& id, int64_t draw, sim::Instant at,
                               const std::string& text) {
  if (!keep_records_) return;
  GeneratedPartition& partition = GeneratedPartitionOf({id.source, id.partition});
  RecordEntry* entry = NewEntryIn(*partition.records, id.sequence);
  if (entry == nullptr) return;
  entry->produced_us = at.us;
  AddDraw(&partition.draws, id.sequence, draw);
  partition.recent.Add(id.sequence, records::Value::String(text));
}

void Ledger::AddDraw(std::vector<DrawRun>* runs, int64_t sequence, int64_t draw) {
  if (!runs->empty()) {
    DrawRun& last = runs->back();
    STREAMSIM_ASSERT(sequence > last.last_sequence);  // a partition's records come in order
    const int64_t steps = sequence - last.first_sequence;
    if (last.first_sequence == last.last_sequence && draw > last.first_draw &&
        (draw - last.first_draw) % steps == 0) {
      last.stride = (draw - last.first_draw) / steps;  // the run's second record sets its stride
    }
    if (draw == last.first_draw + steps * last.stride) {
      last.last_sequence = sequence;
      return;
    }
  }
  runs->push_back(DrawRun{sequence, draw, 1, sequence});
}

int64_t Ledger::DrawOf(const RecordId& id) const {
  const std::vector<DrawRun>& runs = generated_.at({id.source, id.partition}).draws;
  auto after = std::upper_bound(
      runs.begin(), runs.end(), id.sequence,
      [](int64_t sequence, const DrawRun& run) { return sequence < run.first_sequence; });
  STREAMSIM_ASSERT(after != runs.begin());
  const DrawRun& run = *std::prev(after);
  return run.first_draw + (id.sequence - run.first_sequence) * run.stride;
}

records::Value Ledger::ValueOf(const RecordId& id) const {
  STREAMSIM_ASSERT(WasProduced(id));
  const auto generated = generated_.find({id.source, id.partition});
  if (generated != generated_.end()) {
    if (const records::Value* value = generated->second.recent.Find(id.sequence)) return *value;
  }
  const auto kept = kept_values_.find(id);
  if (kept != kept_values_.end()) return kept->second;
  return value_functions_.at(id.source)(DrawOf(id));
}

RecordEntry* Ledger::Find(const RecordId& id) { return FindEntry(partitions_, id); }

bool Ledger::WasProduced(const RecordId& id) const {
  const auto partition = partitions_.find({id.source, id.partition});
  if (partition != partitions_.end() && partition->second.Retired(id.sequence)) return true;
  return FindEntry(partitions_, id) != nullptr;
}

void Ledger::TakeValuesIfProduced(const RecordIds& ids, records::Values* values) const {
  values->reserve(values->size() + ids.size());
  const GeneratedPartition* partition = nullptr;  // of the record before, found once per run
  for (const RecordId& id : ids) {
    if (partition == nullptr || partition->key != std::pair{id.source, id.partition}) {
      const auto found = generated_.find({id.source, id.partition});
      partition = found == generated_.end() ? nullptr : &found->second;
    }
    // Only produced records are kept there.
    if (partition != nullptr && partition->recent.TakeInto(id.sequence, values)) continue;
    if (WasProduced(id)) values->push_back(ValueOf(id));
  }
}

bool Ledger::AllProduced(std::pair<int32_t, int32_t> key, int64_t from, int64_t until) const {
  if (from >= until) return true;
  const auto partition = partitions_.find(key);
  if (partition == partitions_.end() || from < 0) return false;
  const PartitionRecords& records = partition->second;
  // Below first_kept a record was retired (and so produced) unless it is an earlier one.
  const int64_t below_kept = std::min(until, records.first_kept);
  auto earlier = std::lower_bound(
      records.earlier.begin(), records.earlier.end(), from,
      [](const PartitionRecords::Earlier& e, int64_t sequence) { return e.sequence < sequence; });
  for (; earlier != records.earlier.end() && earlier->sequence < below_kept; ++earlier) {
    if (earlier->entry.produced_us < 0) return false;
  }
  for (int64_t sequence = std::max(from, records.first_kept); sequence < until; ++sequence) {
    const auto index = static_cast<size_t>(sequence - records.first_kept);
    if (index >= records.entries.size() || records.entries[index].produced_us < 0) return false;
  }
  return true;
}

// A retired record: what happens to it now changes no check (it was given to a settled batch).
bool IsRetired(const std::map<std::pair<int32_t, int32_t>, PartitionRecords>& partitions,
               const RecordId& id) {
  const auto partition = partitions.find({id.source, id.partition});
  return partition != partitions.end() && partition->second.Retired(id.sequence);
}

const RecordEntry& Ledger::Entry(const RecordId& id) const {
  const RecordEntry* entry = FindEntry(partitions_, id);
  if (entry == nullptr) std::abort();  // programmer error: an id no source produced
  return *entry;
}

void Ledger::Dropped(const RecordId& id) {
  if (!keep_records_) return;
  RecordEntry* entry = Find(id);
  STREAMSIM_ASSERT(entry != nullptr);  // dropping what was not produced
  entry->dropped = true;
}

void Ledger::Delivered(const RecordIds& ids, sim::Instant at) {
  if (!keep_records_) return;
  for (const RecordId& id : ids) {
    RecordEntry* entry = Find(id);
    if (entry == nullptr && IsRetired(partitions_, id)) continue;
    if (entry == nullptr) std::abort();  // programmer error: delivering what was not produced
    if (entry->first_delivered_us < 0) {
      entry->first_delivered_us = at.us;
      if (!last_first_delivery_ || *last_first_delivery_ < at) last_first_delivery_ = at;
    }
    ++entry->deliveries;
  }
}

void Ledger::Acknowledged(const RecordIds& ids, sim::Instant at) {
  if (!keep_records_) return;
  for (const RecordId& id : ids) {
    RecordEntry* entry = Find(id);
    if (entry == nullptr && IsRetired(partitions_, id)) continue;
    if (entry == nullptr) std::abort();
    if (entry->acknowledged_us < 0) entry->acknowledged_us = at.us;
  }
}

void Ledger::BlockCreated(int driver_life, const std::string& block_id, RecordIds records) {
  if (!keep_records_) return;
  blocks_[{driver_life, block_id}] = std::move(records);
}

void Ledger::BlockWrittenAhead(int driver_life, const std::string& block_id,
                               const std::string& wal_path, int64_t wal_offset) {
  auto block = blocks_.find({driver_life, block_id});
  if (block == blocks_.end()) return;
  logged_blocks_[{wal_path, wal_offset}] = block->second;
}

RecordIds Ledger::BlockRecords(int driver_life, const std::string& block_id,
                               const std::string& wal_path, int64_t wal_offset) const {
  if (!wal_path.empty()) {
    auto logged = logged_blocks_.find({wal_path, wal_offset});
    if (logged != logged_blocks_.end()) return logged->second;
  }
  for (int life = driver_life; life >= 0; --life) {
    auto block = blocks_.find({life, block_id});
    if (block != blocks_.end()) return block->second;
  }
  return {};
}

void Ledger::ForgetBlock(int driver_life, const std::string& block_id, const std::string& wal_path,
                         int64_t wal_offset) {
  if (!wal_path.empty()) logged_blocks_.erase({wal_path, wal_offset});
  for (int life = driver_life; life >= 0; --life) {
    if (blocks_.erase({life, block_id}) > 0) return;
  }
}

RecordIds Ledger::RecordsOfAllocatedBlock(int driver_life, const std::string& block_id,
                                          const std::string& wal_path, int64_t wal_offset) {
  RecordIds records = BlockRecords(driver_life, block_id, wal_path, wal_offset);
  if (!keep_allocated_blocks_) blocks_.erase({driver_life, block_id});
  return records;
}

void Ledger::NoteLifeBatch(int life, sim::Instant t) {
  LifeBatches& batches = life_batches_[life];
  if (!batches.first_time || t < *batches.first_time) batches.first_time = t;
  if (!batches.last_time || *batches.last_time < t) batches.last_time = t;
}

void Ledger::Allocated(BatchAllocation allocation) {
  if (!keep_records_) return;
  NoteLifeBatch(allocation.driver_life, allocation.batch_time);
  LifeBatches& batches = life_batches_[allocation.driver_life];
  const sim::Instant t = allocation.batch_time;
  if (!batches.first_allocated || t < *batches.first_allocated) batches.first_allocated = t;
  if (!batches.last_allocated || *batches.last_allocated < t) batches.last_allocated = t;
  if (allocation.recovered && (!batches.first_recovered || t < *batches.first_recovered)) {
    batches.first_recovered = t;
  }
  allocations_.push_back(std::move(allocation));
}

void Ledger::BatchFinished(int driver_life, sim::Instant batch_time, std::string failure) {
  NoteLifeBatch(driver_life, batch_time);
  life_batches_[driver_life].finished_any = true;
  // A run nobody checks needs only its failures (the error awaitTermination would rethrow).
  if (!keep_records_ && failure.empty()) return;
  outcomes_.push_back({driver_life, batch_time, std::move(failure)});
}

void Ledger::RetireBatchesUpTo(sim::Instant t) {
  std::erase_if(allocations_, [t](const BatchAllocation& a) { return a.batch_time <= t; });
  // A failed batch's outcomes stay: the final check reports it (liveness) and its error is the
  // one Spark's awaitTermination would rethrow.
  std::set<sim::Instant> failed;
  for (const BatchOutcome& outcome : outcomes_) {
    if (outcome.batch_time <= t && !outcome.failure.empty()) failed.insert(outcome.batch_time);
  }
  std::erase_if(outcomes_, [t, &failed](const BatchOutcome& o) {
    return o.batch_time <= t && !failed.contains(o.batch_time);
  });
  std::erase_if(emissions_, [t](const OutputEmission& e) { return e.batch_time <= t; });
}

void Ledger::RetireRecords(std::pair<int32_t, int32_t> key, int64_t until,
                           const std::function<bool(int64_t, const RecordEntry&)>& retire) {
  const auto found = partitions_.find(key);
  if (found == partitions_.end()) return;
  PartitionRecords& partition = found->second;
  const auto generated = generated_.find(key);
  if (generated != generated_.end()) generated->second.recent.ForgetBelow(until);
  while (partition.first_kept < until && !partition.entries.empty()) {
    const int64_t sequence = partition.first_kept;
    const RecordEntry entry = partition.entries.front();
    partition.entries.pop_front();
    ++partition.first_kept;
    const bool delivered = entry.first_delivered_us >= 0;
    if (retire(sequence, entry)) {
      STREAMSIM_ASSERT(entry.produced_us >= 0);
      if (delivered && partition.first_retired_delivered < 0) {
        partition.first_retired_delivered = sequence;
      }
      if (delivered) {
        for (size_t i = partition.waiting_from; i < partition.earlier.size(); ++i) {
          partition.earlier[i].next_retired_delivery_us = entry.first_delivered_us;
        }
        partition.waiting_from = partition.earlier.size();
      }
      continue;
    }
    if (delivered) partition.waiting_from = partition.earlier.size();  // it comes first
    partition.earlier.push_back({sequence, entry, -1});
  }
}

void Ledger::Emitted(OutputEmission emission) {
  if (keep_records_) emissions_.push_back(std::move(emission));
}

}  // namespace streamsim::ledger
