// The run's ledgers (ledger/ledger.h).
#include "ledger/ledger.h"

#include <cstdlib>

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

void Ledger::Produced(const RecordId& id, records::Value value, sim::Instant at) {
  if (id.sequence < 0) std::abort();
  std::vector<RecordEntry>& entries = partitions_[{id.source, id.partition}];
  const auto index = static_cast<size_t>(id.sequence);
  if (entries.size() <= index) entries.resize(index + 1);
  RecordEntry& entry = entries[index];
  if (entry.produced_us >= 0) return;
  entry.value = std::move(value);
  entry.produced_us = at.us;
}

RecordEntry* Ledger::Find(const RecordId& id) { return FindEntry(partitions_, id); }

bool Ledger::WasProduced(const RecordId& id) const { return FindEntry(partitions_, id) != nullptr; }

const RecordEntry& Ledger::Entry(const RecordId& id) const {
  const RecordEntry* entry = FindEntry(partitions_, id);
  if (entry == nullptr) std::abort();  // programmer error: an id no source produced
  return *entry;
}

void Ledger::Delivered(const RecordIds& ids, sim::Instant at) {
  for (const RecordId& id : ids) {
    RecordEntry* entry = Find(id);
    if (entry == nullptr) std::abort();  // programmer error: delivering what was not produced
    if (entry->first_delivered_us < 0) entry->first_delivered_us = at.us;
    ++entry->deliveries;
  }
}

void Ledger::Acknowledged(const RecordIds& ids, sim::Instant at) {
  for (const RecordId& id : ids) {
    RecordEntry* entry = Find(id);
    if (entry == nullptr) std::abort();
    if (entry->acknowledged_us < 0) entry->acknowledged_us = at.us;
  }
}

void Ledger::BlockCreated(int driver_life, const std::string& block_id, RecordIds records) {
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
  allocations_.push_back(std::move(allocation));
}

void Ledger::BatchFinished(int driver_life, sim::Instant batch_time, std::string failure) {
  outcomes_.push_back({driver_life, batch_time, std::move(failure)});
}

void Ledger::Emitted(OutputEmission emission) { emissions_.push_back(std::move(emission)); }

}  // namespace streamsim::ledger
