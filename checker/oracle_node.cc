// Stepping, reading and forgetting a node's batches, the source node and the dataflow's order.
#include "checker/oracle_node.h"

#include <algorithm>
#include <string>

#include "checker/oracle_support.h"

namespace streamsim::checker::oracle {

Node::Node(sim::Duration slide) : slide_(slide) {
  if (slide.us <= 0) Die("a stream's slide must be positive");
}

void Node::Step(sim::Instant zero_time, sim::Instant t) {
  if (t <= zero_time || (stepped_to_ && t <= *stepped_to_)) {
    Die("a node stepped to " + std::to_string(t.us) + " us, not after its previous step");
  }
  stepped_to_ = t;
  if ((t - zero_time) % slide_ == sim::Duration{}) batches_[t] = Compute(t);
  Forget(t);
}

const OracleBatch* Node::At(sim::Instant t) const {
  if (!stepped_to_ || t > *stepped_to_ || (forgotten_through_ && t <= *forgotten_through_)) {
    Die("a node's batch at " + std::to_string(t.us) + " us was read outside what it holds");
  }
  const auto batch = batches_.find(t);
  return batch == batches_.end() ? nullptr : &batch->second;
}

std::vector<const OracleBatch*> Node::In(sim::Instant after, sim::Instant up_to) const {
  if (!stepped_to_ || up_to > *stepped_to_ || (forgotten_through_ && after < *forgotten_through_)) {
    Die("a node's batches after " + std::to_string(after.us) +
        " us were read outside what it holds");
  }
  std::vector<const OracleBatch*> batches;
  for (auto it = batches_.upper_bound(after); it != batches_.end() && it->first <= up_to; ++it) {
    batches.push_back(&it->second);
  }
  return batches;
}

void Node::Retain(sim::Duration reach) {
  if (stepped_to_) Die("a node's retention changed after it started stepping");
  reach_ = std::max(reach_, reach);
}

// Keeps (now - reach, now], and the batch at now for the oracle's Find when reach is zero.
void Node::Forget(sim::Instant now) {
  const sim::Instant through = reach_.us > 0 ? now - reach_ : now - sim::Duration::Micros(1);
  batches_.erase(batches_.begin(), batches_.upper_bound(through));
  forgotten_through_ = through;
}

const OracleBatch& UnaryNode::InputAt(sim::Instant t) const {
  const OracleBatch* batch = input_->At(t);
  if (batch == nullptr) Die("a node's input has no batch at one of its times");
  return *batch;
}

void SourceNode::Give(records::Values records) {
  if (next_) Die("a source was given two batches for one step");
  next_ = std::move(records);
}

OracleBatch SourceNode::Compute(sim::Instant) {
  if (!next_) Die("a source stepped without its batch");
  OracleBatch batch{std::move(*next_), std::nullopt};
  next_.reset();
  return batch;
}

void Dataflow::Step(sim::Instant t) {
  for (const std::unique_ptr<Node>& node : nodes_) node->Step(zero_time_, t);
}

std::vector<size_t> Dataflow::RetainedBatches() const {
  std::vector<size_t> counts;
  for (const std::unique_ptr<Node>& node : nodes_) counts.push_back(node->RetainedBatches());
  return counts;
}

}  // namespace streamsim::checker::oracle
