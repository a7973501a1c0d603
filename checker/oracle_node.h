// The oracle's dataflow: one node per primitive operator (a source, an operator on one batch, a
// window, an incremental window, a state), built once from the pipeline and stepped one batch time
// at a time. A node holds of its output only the batches its consumers can still read back, so
// the oracle's memory does not grow with the run's length. Internal to the oracle.
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "checker/oracle.h"
#include "records/value.h"
#include "simulator/time.h"

namespace streamsim::checker::oracle {

// One primitive stream. It has an RDD at every t > zero with (t - zero) a multiple of its slide,
// computed by Compute once the nodes it reads have stepped to t.
class Node {
 public:
  explicit Node(sim::Duration slide);
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  sim::Duration slide() const { return slide_; }

  // Computes the batch at `t` when `t` is one of this node's times, then forgets what no consumer
  // reads any more. REQUIRES: `t` is after the previous step's time.
  void Step(sim::Instant zero_time, sim::Instant t);
  // The batch at `t`; nullptr when the node has no RDD then.
  // REQUIRES: the node has stepped to `t` and has not forgotten it (aborts otherwise).
  const OracleBatch* At(sim::Instant t) const;
  // The batches at times in (after, up_to], oldest first. REQUIRES: as At, for every such time.
  std::vector<const OracleBatch*> In(sim::Instant after, sim::Instant up_to) const;
  // A consumer reads this node's batches in (t - reach, t] at its times t: keep them.
  void Retain(sim::Duration reach);
  // How many batches the node holds now.
  size_t RetainedBatches() const { return batches_.size(); }

 protected:
  // This node's batch at `t`, one of its times.
  virtual OracleBatch Compute(sim::Instant t) = 0;

 private:
  void Forget(sim::Instant now);

  sim::Duration slide_;
  sim::Duration reach_{};  // the furthest back a consumer reads; zero: only the latest time
  OracleSeries batches_;
  std::optional<sim::Instant> stepped_to_;         // the latest step's time
  std::optional<sim::Instant> forgotten_through_;  // every batch at or before it is gone
};

// A node whose batch at t is computed from its input's batch at t (same slide).
class UnaryNode : public Node {
 public:
  explicit UnaryNode(const Node* input) : Node(input->slide()), input_(input) {}

 protected:
  // The input's batch at `t`; aborts when it has none (the two slides agree, so it must).
  const OracleBatch& InputAt(sim::Instant t) const;

 private:
  const Node* input_;
};

// A source: its batch at t is what the oracle's input gave it.
class SourceNode : public Node {
 public:
  explicit SourceNode(sim::Duration batch_interval) : Node(batch_interval) {}
  // The records of the next step. REQUIRES: called once before each step.
  void Give(records::Values records);

 protected:
  OracleBatch Compute(sim::Instant t) override;

 private:
  std::optional<records::Values> next_;
};

// The nodes in creation order, which is dependency order: a node only reads nodes created before
// it, so stepping them in order computes every input before it is read.
class Dataflow {
 public:
  explicit Dataflow(sim::Instant zero_time) : zero_time_(zero_time) {}

  template <typename NodeType, typename... Args>
  NodeType* Add(Args&&... args) {
    auto node = std::make_unique<NodeType>(std::forward<Args>(args)...);
    NodeType* added = node.get();
    nodes_.push_back(std::move(node));
    return added;
  }

  sim::Instant zero_time() const { return zero_time_; }
  void Step(sim::Instant t);
  // Each node's RetainedBatches, in creation order.
  std::vector<size_t> RetainedBatches() const;

 private:
  sim::Instant zero_time_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

}  // namespace streamsim::checker::oracle
