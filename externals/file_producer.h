// A simulated producer of files for textFileStream: a node that, at a configured rate, writes a
// file of generated lines into the watched directory the way a well-behaved producer must — into
// a hidden temporary name first, synced, then atomically renamed into place — so that the stream
// never sees a half-written file. Each file renamed into place is announced to the directory's
// ledger (ledger/file_ledger.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ledger/file_ledger.h"
#include "records/generators.h"
#include "simulator/world.h"

namespace streamsim::externals {

struct FileProducerConfig {
  std::string name;
  std::string directory;
  double files_per_second = 1;
  int64_t lines_per_file = 10;
  records::GeneratorConfig generator;
};

class FileProducer {
 public:
  FileProducer(sim::World* world, FileProducerConfig config);
  // The ledger of the directory it writes into (null: none). REQUIRES: it outlives the producer.
  void AttachLedger(ledger::FileLedger* ledger) { ledger_ = ledger; }
  int64_t files_written() const { return files_; }
  int64_t lines_written() const { return lines_; }

 private:
  void WriteNext();
  sim::Duration Period() const;

  sim::World* world_;
  FileProducerConfig config_;
  sim::NodeId node_;
  std::unique_ptr<records::RecordGenerator> generator_;
  ledger::FileLedger* ledger_ = nullptr;
  int64_t files_ = 0;
  int64_t lines_ = 0;
};

}  // namespace streamsim::externals
