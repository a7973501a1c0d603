// The run's ledgers (ledger/ledger.h).
#include "ledger/ledger.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>

#include "base/assert.h"

namespace streamsim::ledger {
namespace {

// The entry of a produced record, or null (const or not, as `partitions` is).
template <typename Partitions>
auto* FindEntry(Partitions& partitions, const RecordId& id) {
  decltype(&partitions.begin()->second[0]) found = nullptr;
  auto partition = partitions.find({id.source, id.partition});
  if (partition == partitions.end() || id.sequence < 0) return found;
  const auto index = static_cast<size_t>(id.sequence);
  if (index >= partition->second.size()) return found;
  auto& entry = partition->second[index];
  if (entry.produced_us >= 0) found = &entry;
  return found;
}

}  // namespace

int32_t Ledger::RegisterSource(std::string name) {
  source_names_.push_back(std::move(name));
  return static_cast<int32_t>(source_names_.size() - 1);
}

void Ledger::SetValueFunction(int32_t source, ValueFunction function) {
  value_functions_[source] = std::move(function);
}

RecordEntry* Ledger::NewEntry(const RecordId& id) {
  STREAMSIM_ASSERT(id.sequence >= 0);
  RecordEntries& entries = partitions_[{id.source, id.partition}];
  const auto index = static_cast<size_t>(id.sequence);
  if (entries.size() <= index) entries.resize(index + 1);
  RecordEntry& entry = entries[index];
  return entry.produced_us >= 0 ? nullptr : &entry;
}

void Ledger::Produced(const RecordId& id, records::Value value, sim::Instant at) {
  if (!keep_records_) return;
  RecordEntry* entry = NewEntry(id);
  if (entry == nullptr) return;
  entry->produced_us = at.us;
  kept_values_.emplace(id, std::move(value));
}

void Ledger::ProducedGenerated(const RecordId& id, int64_t draw, sim::Instant at) {
  if (!keep_records_) return;
  STREAMSIM_ASSERT(value_functions_.contains(id.source));
  RecordEntry* entry = NewEntry(id);
  if (entry == nullptr) return;
  entry->produced_us = at.us;
  AddDraw(id, draw);
}

void Ledger::AddDraw(const RecordId& id, int64_t draw) {
  std::vector<DrawRun>& runs = draws_[{id.source, id.partition}];
  if (!runs.empty()) {
    DrawRun& last = runs.back();
    STREAMSIM_ASSERT(id.sequence > last.last_sequence);  // a partition's records come in order
    const int64_t steps = id.sequence - last.first_sequence;
    if (last.first_sequence == last.last_sequence && draw > last.first_draw &&
        (draw - last.first_draw) % steps == 0) {
      last.stride = (draw - last.first_draw) / steps;  // the run's second record sets its stride
    }
    if (draw == last.first_draw + steps * last.stride) {
      last.last_sequence = id.sequence;
      return;
    }
  }
  runs.push_back(DrawRun{id.sequence, draw, 1, id.sequence});
}

int64_t Ledger::DrawOf(const RecordId& id) const {
  const std::vector<DrawRun>& runs = draws_.at({id.source, id.partition});
  auto after = std::upper_bound(
      runs.begin(), runs.end(), id.sequence,
      [](int64_t sequence, const DrawRun& run) { return sequence < run.first_sequence; });
  STREAMSIM_ASSERT(after != runs.begin());
  const DrawRun& run = *std::prev(after);
  return run.first_draw + (id.sequence - run.first_sequence) * run.stride;
}

records::Value Ledger::ValueOf(const RecordId& id) const {
  STREAMSIM_ASSERT(WasProduced(id));
  const auto kept = kept_values_.find(id);
  if (kept != kept_values_.end()) return kept->second;
  return value_functions_.at(id.source)(DrawOf(id));
}

RecordEntry* Ledger::Find(const RecordId& id) { return FindEntry(partitions_, id); }

bool Ledger::WasProduced(const RecordId& id) const { return FindEntry(partitions_, id) != nullptr; }

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
    if (entry == nullptr) std::abort();  // programmer error: delivering what was not produced
    if (entry->first_delivered_us < 0) entry->first_delivered_us = at.us;
    ++entry->deliveries;
  }
}

void Ledger::Acknowledged(const RecordIds& ids, sim::Instant at) {
  if (!keep_records_) return;
  for (const RecordId& id : ids) {
    RecordEntry* entry = Find(id);
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

void Ledger::Allocated(BatchAllocation allocation) {
  if (!keep_records_) return;
  allocations_.push_back(std::move(allocation));
}

void Ledger::BatchFinished(int driver_life, sim::Instant batch_time, std::string failure) {
  outcomes_.push_back({driver_life, batch_time, std::move(failure)});
}

void Ledger::Emitted(OutputEmission emission) {
  if (keep_records_) emissions_.push_back(std::move(emission));
}

}  // namespace streamsim::ledger
