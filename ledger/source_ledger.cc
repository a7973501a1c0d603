// A source's handle on the run's ledger, and acknowledgement by position (ledger/source_ledger.h).
#include "ledger/source_ledger.h"

#include "base/assert.h"

namespace streamsim::ledger {

SourceLedger::SourceLedger(Ledger* ledger, int32_t source) : ledger_(ledger), source_(source) {
  STREAMSIM_ASSERT(ledger_ != nullptr);
  STREAMSIM_ASSERT(source_ >= 0 && static_cast<size_t>(source_) < ledger_->sources().size());
}

RecordIds SourceLedger::Range(int32_t partition, int64_t from, int64_t until) const {
  RecordIds ids;
  if (until <= from) return ids;
  ids.reserve(static_cast<size_t>(until - from));
  for (int64_t sequence = from; sequence < until; ++sequence)
    ids.push_back(Id(partition, sequence));
  return ids;
}

void SourceLedger::DrawsFrom(std::shared_ptr<const records::RecordGenerator> generator) const {
  if (ledger_ == nullptr) return;
  ledger_->SetValueFunction(
      source_, [generator](int64_t draw) { return records::Value::String(generator->At(draw)); });
}

void SourceLedger::ProducedGenerated(int32_t partition, int64_t sequence, int64_t draw,
                                     sim::Instant at, const std::string& text) const {
  if (ledger_ != nullptr) ledger_->ProducedGenerated(Id(partition, sequence), draw, at, text);
}

void SourceLedger::Produced(int32_t partition, int64_t sequence, const std::string& text,
                            sim::Instant at) const {
  if (ledger_ != nullptr)
    ledger_->Produced(Id(partition, sequence), records::Value::String(text), at);
}

void SourceLedger::Produced(int32_t partition, int64_t sequence, const records::Value& value,
                            sim::Instant at) const {
  if (ledger_ != nullptr) ledger_->Produced(Id(partition, sequence), value, at);
}

void SourceLedger::Dropped(int32_t partition, int64_t sequence) const {
  if (ledger_ != nullptr) ledger_->Dropped(Id(partition, sequence));
}

void SourceLedger::Delivered(const RecordIds& ids, sim::Instant at) const {
  if (ledger_ != nullptr && !ids.empty()) ledger_->Delivered(ids, at);
}

void SourceLedger::Acknowledged(const RecordIds& ids, sim::Instant at) const {
  if (ledger_ != nullptr && !ids.empty()) ledger_->Acknowledged(ids, at);
}

void AcknowledgedUpTo::Delivering(int32_t partition, int64_t first) {
  // Only the first hand-over sets the floor: later ones (re-reads after a restart) start at or
  // after the committed position, which is at or above it.
  unacknowledged_from_.emplace(partition, first);
}

void AcknowledgedUpTo::Committed(const SourceLedger& ledger, int32_t partition, int64_t until,
                                 sim::Instant at) {
  auto from = unacknowledged_from_.find(partition);
  if (from == unacknowledged_from_.end() || until <= from->second) return;
  ledger.Acknowledged(ledger.Range(partition, from->second, until), at);
  from->second = until;
}

}  // namespace streamsim::ledger
