// The file producer: write hidden, sync, rename into the watched directory.
#include "externals/file_producer.h"

#include <fmt/format.h>

namespace streamsim::externals {

FileProducer::FileProducer(sim::World* world, FileProducerConfig config)
    : world_(world),
      config_(std::move(config)),
      generator_(records::MakeGenerator(config_.generator,
                                        world->Random("workload/" + config_.name).seed())) {
  node_ = world_->AddNode("producer/" + config_.name);
  world_->OnStart(node_,
                  [this]() { world_->Schedule(node_, Period(), [this]() { WriteNext(); }); });
}

sim::Duration FileProducer::Period() const {
  return sim::Duration::Micros(static_cast<int64_t>(1e6 / config_.files_per_second));
}

void FileProducer::WriteNext() {
  const std::string name = fmt::format("{}-{:06d}.txt", config_.name, files_);
  const std::string temporary = fmt::format("{}/.{}.tmp", config_.directory, name);
  std::string contents;
  for (int64_t i = 0; i < config_.lines_per_file; ++i) {
    contents += generator_->At(lines_ + i);
    contents += '\n';
  }
  sim::Storage& storage = world_->storage();
  Status status = storage.WriteWholeFile(node_, temporary, contents);
  const std::string path = config_.directory + "/" + name;
  if (status.ok()) status = storage.Rename(temporary, path);
  if (status.ok() && ledger_ != nullptr) ledger_->FileWritten(path, contents, world_->Now());
  if (status.ok()) {
    ++files_;
    lines_ += config_.lines_per_file;
    world_->Record("file", fmt::format("produced {}/{} lines={}", config_.directory, name,
                                       config_.lines_per_file));
  } else {
    world_->Record("file", "produce failed: " + status.message());
  }
  world_->Schedule(node_, Period(), [this]() { WriteNext(); });
}

}  // namespace streamsim::externals
