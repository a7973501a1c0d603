// The builder's part for flume and kinesis sources: a SourceSpec becomes the engine's receiver
// source with its simulated external system (the node "flume/<name>" or "kinesis/<name>").
#pragma once

#include <memory>

#include "records/generators.h"
#include "engine/receivers/receiver.h"
#include "scenarios/scenario.h"
#include "simulator/world.h"

namespace streamsim::harness {

// FlumeUtils.createStream (mode push) or createPollingStream (mode pull).
// REQUIRES: source.kind == "flume", validated.
std::unique_ptr<engine::ReceiverSource> MakeFlumeSource(const scenarios::SourceSpec& source,
                                                        records::GeneratorConfig generator,
                                                        sim::World* world);

// KinesisUtils.createStream; the checkpoint interval defaults to `batch_interval`, as Spark's.
// REQUIRES: source.kind == "kinesis", validated.
std::unique_ptr<engine::ReceiverSource> MakeKinesisSource(const scenarios::SourceSpec& source,
                                                          records::GeneratorConfig generator,
                                                          sim::Duration batch_interval,
                                                          sim::World* world);

}  // namespace streamsim::harness
