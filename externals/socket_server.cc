// The socket server's clock: lines per segment follow the rate exactly over time (no drift).
#include "externals/socket_server.h"

#include <fmt/format.h>

#include <cmath>

namespace streamsim::externals {

SocketServer::SocketServer(sim::World* world, SocketServerConfig config)
    : world_(world),
      config_(std::move(config)),
      generator_(records::MakeGenerator(config_.generator,
                                        world->Random("workload/" + config_.name).seed())) {
  node_ = world_->AddNode(fmt::format("socket/{}:{}", config_.host, config_.port));
  world_->OnStart(
      node_, [this]() { world_->Schedule(node_, config_.segment_interval, [this]() { Tick(); }); });
}

void SocketServer::Connect(sim::NodeId receiver_node, protocols::HandRecords deliver) {
  receiver_node_ = receiver_node;
  receiver_incarnation_ = world_->Incarnation(receiver_node);
  deliver_ = std::move(deliver);
}

void SocketServer::Disconnect() {
  receiver_node_ = sim::NodeId{};
  deliver_ = nullptr;
}

void SocketServer::Tick() {
  ++ticks_;
  const double elapsed_s = config_.segment_interval.seconds() * static_cast<double>(ticks_);
  const int64_t due = static_cast<int64_t>(std::floor(config_.rate_per_second * elapsed_s + 1e-9));
  records::Values lines;
  const int64_t first = produced_;
  int64_t bytes = 0;
  for (; produced_ < due; ++produced_) {
    std::string line = generator_->At(produced_);
    bytes += static_cast<int64_t>(line.size()) + 1;
    ledger_.ProducedGenerated(0, produced_, produced_, world_->Now(), line);
    lines.push_back(records::Value::String(std::move(line)));
  }
  if (deliver_ && (!world_->IsUp(receiver_node_) ||
                   world_->Incarnation(receiver_node_) != receiver_incarnation_)) {
    Disconnect();  // the connection broke when the receiver's node went down
  }
  if (!lines.empty() && deliver_) {
    sent_ += static_cast<int64_t>(lines.size());
    ledger::RecordIds ids = ledger_.Range(0, first, produced_);
    if (tamper_) tamper_(&lines, &ids);
    world_->network().Send(sim::Message{
        node_, receiver_node_, bytes, "socket-lines",
        [deliver = deliver_, lines = std::move(lines), ids = std::move(ids)]() mutable {
          deliver(std::move(lines), std::move(ids));
        }});
  }
  world_->Schedule(node_, config_.segment_interval, [this]() { Tick(); });
}

}  // namespace streamsim::externals
