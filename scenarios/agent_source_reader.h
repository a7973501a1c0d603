// Reading the keys of the sources whose external system Spark polls or is pushed to by an agent:
// flume (push or pull) and kinesis. Internal to the loader (source_reader.cc calls these once the
// source's kind is known; its rate and generator are read there).
#pragma once

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// `mode` (push | pull, required), `channel_capacity`, and for pull `max_batch_size` and
// `transaction_timeout`. Throws LoadFailure, also for a pull-only key in a push source.
void ReadFlumeFields(const MappingReader& mapping, SourceSpec* source);

// `shards`, `checkpoint_interval` (> 0) and `initial_position` (latest | trim_horizon).
void ReadKinesisFields(const MappingReader& mapping, SourceSpec* source);

}  // namespace streamsim::scenarios
