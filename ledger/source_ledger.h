// A source's handle on the run's ledger (ledger/ledger.h): the source's index there, and the
// calls a source makes as its external system produces records and as the system takes and
// acknowledges them. A source built outside a StreamingContext (a unit test of one source) has no
// ledger; every call is then a no-op, so that sources need no branch of their own for it.
//
// Also AcknowledgedUpTo, for the sources that learn of acknowledgements by position (a Kafka
// consumer group's committed offset, a Kinesis checkpoint) rather than record by record.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "ledger/ledger.h"
#include "records/generators.h"
#include "records/value.h"
#include "simulator/time.h"

namespace streamsim::ledger {

class SourceLedger {
 public:
  SourceLedger() = default;
  // REQUIRES: `source` was returned by ledger->RegisterSource.
  SourceLedger(Ledger* ledger, int32_t source);

  bool attached() const { return ledger_ != nullptr; }
  int32_t source() const { return source_; }
  Ledger* ledger() const { return ledger_; }
  RecordId Id(int32_t partition, int64_t sequence) const { return {source_, partition, sequence}; }
  // The ids of sequences [from, until) of `partition` (empty when until <= from).
  RecordIds Range(int32_t partition, int64_t from, int64_t until) const;

  // The source's records are drawn by `generator`: the ledger keeps no copy of their values
  // (ProducedGenerated).
  void DrawsFrom(std::shared_ptr<const records::RecordGenerator> generator) const;
  // The external system made a record whose text `text` is the generator's record `draw`.
  void ProducedGenerated(int32_t partition, int64_t sequence, int64_t draw, sim::Instant at,
                         const std::string& text) const;
  // The external system made a record of this value (kept in the ledger). The text overload
  // builds the Value only when attached.
  void Produced(int32_t partition, int64_t sequence, const std::string& text,
                sim::Instant at) const;
  void Produced(int32_t partition, int64_t sequence, const records::Value& value,
                sim::Instant at) const;
  void Dropped(int32_t partition, int64_t sequence) const;
  void Delivered(const RecordIds& ids, sim::Instant at) const;
  void Acknowledged(const RecordIds& ids, sim::Instant at) const;

 private:
  Ledger* ledger_ = nullptr;
  int32_t source_ = 0;
};

// Acknowledgement by position: a commit of position P for a partition acknowledges every record
// below P, from the first one this consumer was ever handed (records below that were never meant
// for it: a consumer that starts at the latest offset). Records the consumer skipped (deleted by
// retention before it read them) are acknowledged too, as the committed position says they were
// consumed: the ledger then shows them acknowledged but never delivered, which is what happened.
class AcknowledgedUpTo {
 public:
  // The consumer is handing over records of `partition` from `first` on.
  void Delivering(int32_t partition, int64_t first);
  // Position `until` of `partition` is committed: records the ledger with the records newly
  // acknowledged. A position at or below an earlier one acknowledges nothing.
  void Committed(const SourceLedger& ledger, int32_t partition, int64_t until, sim::Instant at);

 private:
  std::map<int32_t, int64_t> unacknowledged_from_;  // per partition, once something was handed
};

}  // namespace streamsim::ledger
