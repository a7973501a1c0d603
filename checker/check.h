// The checks, their findings and the run's verdict. After a run, CheckRun reads the run's ledgers
// (ledger/ledger.h), its SQLite sink file (checker/sink_contents.h) and what the scenario
// configured, computes what the outputs should hold with the oracle (checker/oracle.h), and says
// whether the run was exactly-once — and if not, what went wrong where: a few record ids, how
// many, the first batch concerned, the nearest fault before it and the setting that would have
// prevented it. It trusts nothing it checks (STYLE.md practice 6): the engine's ledgers are facts
// to compare, never explanations to accept. docs/checker.md is the user's account of the rules.
//
// Driver lives and batch grids. A driver life's batch times are zero + k * interval for its zero
// time. A life that recovered from a checkpoint (some allocation of it is `recovered`) keeps the
// zero time of the life before it; a life that started afresh has its own, one interval before
// its first batch. A *segment* is a run of lives on one grid; the oracle runs once per segment,
// since a fresh driver starts with fresh state.
//
// The checks (names as in Finding.check):
//  0. batch-ledger. With durable metadata (RunFacts.durable_batch_ledger), the batch ledger is
//     read from it (checker/durable_batch_ledger.h): the records of life L's allocation at t of a
//     receiver input are those of the first durable allocation of t by the latest life at or
//     before L (none when there is none: the tracker logs before it allocates); of a Kafka direct
//     or file stream, those of its checkpointed position, when one is durable (a position is
//     checkpointed after its batch is generated, so a batch without one is not compared). Where
//     they differ from the ledger's allocation, the durable records replace them for every later
//     check and the difference is a divergence of the input (count: records apart).
//  1. acknowledged-once. A record was *given* to batch time t when an allocation of some life at
//     t holds it and that allocation *counts*: the life finished t (successfully or with a failed
//     job), or the life is the run's last, still running at the end, and allocated t last. This
//     refines "finished or latest life" so that a batch abandoned by a driver crash and never run
//     by a later driver does not hide the loss of its records. A record given to 2+ batch times,
//     or twice in one, is a duplication; a replay of the same batch time by a later life is the
//     same batch, not a duplicate. Input streams are counted apart: two streams reading one topic
//     each owe every record once. An *expected* record given to no batch is a loss. Expected:
//       - acknowledged records;
//       - delivered records of sources where being handed to the system is the only
//         acknowledgement (every source but a reliable receiver's; a source the configuration does
//         not name counts as such);
//       - for those sources, produced records skipped between the first and the last delivered
//         sequence of their (source, partition): a gap the system jumped over. Records before the
//         first delivered sequence were never read (a stream starting at the latest offset, a
//         socket server talking before its receiver connects) and are not expected.
//     The tail rule: unless the run stopped gracefully, records whose time (first delivery; for
//     an acknowledged record never delivered, its acknowledgement; for a gap, the first delivery
//     after it) is after (last allocated batch time - batch interval) are not expected — they may
//     legitimately still sit in a block or in flight when the run is cut. Nor when the
//     application is down at the end: what it was handed before its driver crashed is owed.
//     Allocations with records whose data was gone when their batch ran (`unavailable` > 0), of
//     any life, at a batch time some life finished successfully, are losses of that many records
//     (per input and batch time, the most any life missed) with no example: the ledger does not
//     say which records of the allocation were gone. Any life's, not only the one that finished
//     t: a rerun that failed or was cut short may have written what it computed without them, and
//     check 2 puts that down to this loss.
//  2. sink-vs-oracle. The oracle's input at t is, per input stream, the record values of the
//     allocation of the latest life that finished t successfully, else of the latest life that
//     allocated t, unavailable records included. Per output, at every batch time some life
//     finished successfully, the sink is compared with the oracle's batch of the output's stream
//     (no batch when the stream has no RDD then):
//       - append / transactional tables: multisets. Extra copies of oracle records are
//         duplication; rows that are no oracle record are divergence; oracle records missing are
//         loss, except that each divergent row is taken to stand in for one missing record (a
//         corrupted value is one divergence, not a divergence and a loss);
//       - idempotent tables: maps by key (a pair's first element, else the record; the sink keeps
//         one record per key). A missing key is loss; a key the oracle does not have, or whose
//         record is none of the oracle's records for it, is divergence;
//       - collect: a batch emitted more than once is duplication (count: the extra emissions'
//         records; an empty batch emitted again duplicates nothing); the last emission against
//         the oracle as a multiset, as for append; no emission is loss of the oracle's records;
//       - print: emitted more than once is duplication (count: extra emissions); no emission is
//         loss (count: the oracle's records);
//       - saveAsTextFiles: idempotent by file name, so only a missing emission is loss;
//       - file sink: its contents are not read; emitted more than once is duplication, no
//         emission is loss, as for print.
//     Other lives' runs. For a stream without state or windows (its batch depends on its inputs
//     at t alone), rows of a table that are none of the oracle's records but are records the
//     oracle computes from another life's allocation at t are duplication, not divergence: a
//     driver that recovered from an older checkpoint generated t again on other input (Kafka
//     direct's new offset ranges), and the first driver's rows are copies of records the
//     recovered one wrote under another batch time.
//     Rows of SQLite sinks at a time no life allocated or finished are divergence. Batches
//     abandoned by a driver crash are not compared (check 4 reports them). A batch some life
//     finished with a failed job and none successfully is compared for loss only (what it wrote
//     may be partial): Spark does not run it again, so what the output misses is lost, the run's
//     last batch included; when the oracle's batch fails too, every input record of the batch.
//     Unavailable input. Where any life's allocation at t of an input had records unavailable,
//     the oracle cannot know what the batch ran on, nor which run's rows the sink kept: outputs
//     depending on that input are compared at t (and, for streams with state or windows, at every
//     later t of the segment) for duplication only — copies of a row beyond the oracle's, which,
//     run on every record allocated, bounds what any life could have written; duplicate
//     emissions as everywhere. Rows missing or different are that input loss, which check 1
//     reports. Not the allocation of the life whose write the sink kept instead: the sink does not
//     say which life wrote a row, an idempotent sink keeps per key whichever wrote last, and a
//     partly unavailable allocation does not say which records the run still had.
//  3. state. A divergence of check 2 at or after the first recovered batch (an allocation with
//     `recovered`, or of a life after the first) in an output whose stream is, or is computed
//     from, a stateful or windowed stream is reported as check "state", problem "divergence",
//     subject the stream. Only divergence moves: a re-run batch duplicating rows in an append
//     sink is the output's at-least-once, not a state problem.
//  4. liveness. Expected batch times: per segment, its grid times from its first up to its last
//     generated one; for the last segment, up to end_time - interval (graceful stop: up to the
//     last generated batch, since a graceful stop generates no more); never after
//     last_batch_time, when the stop names one. A fresh restart does not owe the previous
//     grid's times after the crash: Spark has no memory of them; the records lost with them are
//     check 1's. Each expected time no life finished successfully is missing,
//     with a reason, in this order: "job failed: <message>"; "the driver crashed and the next
//     driver did not run it" (allocated by a life a later one replaced); "application down" (the
//     application is down at the end and the last life never finished it, or no life generated
//     it and the latest fault before it is a driver crash); "receivers starved of cores" (the
//     receivers take every executor core, when RunFacts says so, or no batch of the last segment
//     ever finished although it owed three or more, while records were being delivered); else "not
//     finished". A job failure's reason is its cause: what Spark's message ends with ("most
//     recent failure: <cause>"), so that stage and task numbers do not split it. One finding per
//     reason, wherever its batches are, in the order reasons first appear; count is the number of
//     batches.
//
// Check 1 also reports records a source's outside system dropped before the system could take
// them (a full Flume channel, a custom device's full outbox) as a loss of their own, due at the
// batch after they were produced: whatever the receiver, Spark never had them.
//
// Check 1 also reports an allocated record id no source produced, as a divergence: a broken
// ledger, which no verdict but the strongest may hide.
//
// Verdict, from the findings: any divergence (checks 0, 1, 2 and 3) gives kStateDivergence; else
// loss and duplication kLossAndDuplication; loss alone kAtMostOnce; duplication alone kAtLeastOnce;
// liveness alone kLivenessFailure; nothing kExactlyOnce.
//
// Nearest fault: the latest fault at or before the finding's batch_time. For a lost record, the
// batch_time is the batch that should have held it at the latest: the first batch time of its
// segment at least one interval after the record's time (a receiver's block is allocated to the
// batch after its block interval ends, and block intervals are shorter than batch intervals). For
// a duplicated record, it is the second batch time it was given to.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "checker/guarantee_calculator.h"
#include "checker/pipeline.h"
#include "checker/verdict.h"
#include "faults/fault_kind.h"
#include "ledger/ledger.h"
#include "simulator/time.h"

namespace streamsim::checker {

struct DurableBatchLedger;
struct SettledPart;

struct OutputUnderCheck {
  std::string name;    // the output's name, as in OutputEmission.output and SinkWrite.output
  std::string stream;  // the stream it writes (a stream or source name of the PipelineModel)
  SinkKind sink = SinkKind::kPrint;
  std::string table;  // for kIdempotent / kTransactional / kAppend
};

struct FaultEvent {
  sim::Instant at;
  faults::FaultKind kind = faults::FaultKind::kDriverCrash;
  std::string description;  // e.g. "driver crash (restart after 5 s)"
};

struct RunFacts {
  const ledger::Ledger* ledger = nullptr;
  PipelineModel pipeline;
  sim::Instant zero_time;  // the first driver's zero time (batch k is at zero + k*interval)
  std::vector<OutputUnderCheck> outputs;
  std::string sink_database;       // path of the run's sinks.sqlite; empty when no SQLite sink
  std::vector<FaultEvent> faults;  // in time order
  sim::Instant end_time;           // when the run ended
  bool graceful_stop = false;      // receivers were flushed and every generated batch finished
  std::string stop_reason;
  bool application_down_at_end = false;  // the driver had crashed and was not restarted
  // The last batch time the stop condition asks for (`stop: {batches: N}`: zero + N * interval);
  // absent for other stops. Batches after it are not owed, even if the run generated them while
  // it finished the last one.
  std::optional<sim::Instant> last_batch_time;
  GuaranteeConfiguration configuration;  // what the scenario configured (for the advice)
  // How many receivers ran and how many executor cores the cluster had; 0 when unknown. When
  // known and receivers >= cores, batches that never finish are put down to receivers starved of
  // cores.
  int receiver_count = 0;
  int executor_core_count = 0;
  // The batch ledger read from the driver's durable metadata (checker/durable_batch_ledger.h);
  // null without a checkpoint directory: then every batch's input is the ledger's allocation.
  const DurableBatchLedger* durable_batch_ledger = nullptr;
  // The receiver input streams by stream id (the <id> of block ids "input-<id>-<n>").
  std::map<int, std::string> receiver_inputs;
  // Kafka topics by name: the ledger source index of their records (direct streams' offsets).
  std::map<std::string, int32_t> topic_sources;
  // Files of watched directories by path: their records are lines 0..lines-1 of (source,
  // partition).
  struct FileRecords {
    int32_t source = 0;
    int32_t partition = 0;
    int64_t lines = 0;
  };
  std::map<std::string, FileRecords> file_records;
  // What was checked while the run went (checker/running_check.h): batch times settled, their
  // findings' tallies, and the records they were given; null when the whole run is checked now.
  // CheckRun carries on from it (so it runs once per settled part).
  const SettledPart* settled = nullptr;
  // What the outputs that write files into the simulated store (saveAsTextFiles, file sinks) held
  // at the end, per output name and batch ms; filled only for the faults-off comparison.
  std::map<std::string, std::map<int64_t, records::Values>> stored_outputs;
};

struct Finding {
  // "batch-ledger" | "acknowledged-once" | "sink-vs-oracle" | "state" | "liveness"
  std::string check;
  std::string problem;  // "loss" | "duplication" | "divergence" | "liveness"
  std::string subject;  // the source, input, output or stream concerned; "batches" for liveness
  std::string subject_kind;                // "source" | "input" | "output" | "stream" | ""
  std::optional<sim::Instant> batch_time;  // the first batch concerned
  int64_t count = 0;                       // how many records (or batches, for liveness)
  std::vector<std::string> examples;  // up to 3 record ids "source/partition/sequence" or values
  std::string nearest_fault;          // "<description> at 11.500 s" of the latest fault at or
                                      // before batch_time; "" if none
  std::string prevention;             // the setting that would have prevented it; "" if none
  std::string message;                // what happened, one line, without the fields above
};

struct CheckReport {
  Verdict verdict = Verdict::kExactlyOnce;
  // Ordered by check (batch-ledger, acknowledged-once, sink-vs-oracle, state, liveness), then
  // subject, problem (loss, duplication, divergence, liveness) and first batch.
  std::vector<Finding> findings;
};

// Runs the checks and derives the verdict.
// REQUIRES: facts.ledger is not null; facts.pipeline is valid for the oracle (the Oracle's
// precondition). A sink database that cannot be read is reported as a divergence finding of the
// outputs concerned, never silently taken as empty.
CheckReport CheckRun(const RunFacts& facts);

// The verdict the findings give (the precedence above).
Verdict VerdictOf(const std::vector<Finding>& findings);

// One line: "loss at source events: 12 records never in a batch (events/0/340, events/0/341,
// events/0/342); first batch 12000 ms; nearest fault: driver crash at 11.500 s; prevention:
// enable the receiver write-ahead log (...)". Parts without content are left out.
std::string FormatFinding(const Finding& finding);
// {"check", "problem", "subject", "subject_kind", "batch_time_ms" (null when none), "count",
//  "examples", "nearest_fault", "prevention", "message", "text" (FormatFinding)}.
nlohmann::json FindingToJson(const Finding& finding);
// {"verdict": VerdictName, "findings": [FindingToJson...]}.
nlohmann::json CheckReportToJson(const CheckReport& report);

}  // namespace streamsim::checker
