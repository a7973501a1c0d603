// The offset store: commits by message, reads of committed offsets.
#include "externals/zookeeper.h"

#include <fmt/format.h>

namespace streamsim::externals {

ZooKeeper::ZooKeeper(sim::World* world) : world_(world) { node_ = world_->AddNode("zookeeper"); }

bool ZooKeeper::available() const { return world_->IsUp(node_); }

void ZooKeeper::SendCommit(sim::NodeId from, const std::string& group, const std::string& topic,
                           const std::map<int, int64_t>& offsets,
                           std::function<void()> on_applied) {
  int64_t bytes = 64;
  for (const auto& entry : offsets) bytes += static_cast<int64_t>(sizeof(entry));
  world_->network().Send(
      sim::Message{from, node_, bytes, "zk-commit",
                   [this, group, topic, offsets, on_applied = std::move(on_applied)]() {
                     std::string text;
                     for (const auto& [partition, offset] : offsets) {
                       offsets_[Key{group, topic, partition}] = offset;
                       text += fmt::format(" {}:{}", partition, offset);
                     }
                     ++commits_;
                     world_->Record("zookeeper", fmt::format("commit {} {}{}", group, topic, text));
                     if (on_applied) on_applied();
                   }});
}

std::optional<int64_t> ZooKeeper::Committed(const std::string& group, const std::string& topic,
                                            int partition) const {
  if (!available()) return std::nullopt;
  auto it = offsets_.find(Key{group, topic, partition});
  if (it == offsets_.end()) return std::nullopt;
  return it->second;
}

}  // namespace streamsim::externals
