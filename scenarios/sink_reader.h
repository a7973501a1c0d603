// Reading an output's `sink: {kind: idempotent | transactional | append, table: NAME}`: a table of
// the run's SQLite sink database (engine/sinks/sqlite_sink.h), and the hints that send a file sink
// and a database sink each to its own spelling. Whether another output writes the same table is the
// validator's business (validator.h). Internal to the loader.
#pragma once

#include <string_view>
#include <vector>

#include "scenarios/scenario.h"
#include "scenarios/yaml_reader.h"

namespace streamsim::scenarios {

// "idempotent", "transactional", "append": the kinds of a `sink:` output, as the sink database
// spells them (engine::SinkKindName).
const std::vector<std::string_view>& DatabaseSinkKinds();

// Reads the `sink:` mapping into output->sink_kind and output->sink_table (and their positions).
// Throws LoadFailure: "unknown sink kind 'x'; expected one of idempotent, transactional, append",
// "missing key 'table' in sink", "unknown key 'x' in sink", or a table name the sink database
// would refuse (not an identifier, longer than engine::kSinkTableNameLengthMax, starting with
// streamsim_ or sqlite_, an SQL keyword).
void ReadSinkAction(const YamlContext& context, const YamlField& field, OutputSpec* output);

// foreachRDD's `sink: {kind: ...}` value: "file", or LoadFailure, with the `sink:` spelling as a
// hint when the kind is a database kind.
std::string ReadForeachSinkKind(const YamlField& field);

}  // namespace streamsim::scenarios
