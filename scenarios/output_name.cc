// The name a run gives each output (scenarios/output_name.h).
#include "scenarios/output_name.h"

namespace streamsim::scenarios {

std::string OutputName(const OutputSpec& spec) {
  if (spec.kind == OutputKind::kPrint) return "print:" + spec.stream;
  if (spec.kind == OutputKind::kCollect) return spec.collect_name;
  if (spec.kind == OutputKind::kSaveAsTextFiles) return "saveAsTextFiles:" + spec.stream;
  if (spec.kind == OutputKind::kSink) return "sink:" + spec.sink_table;
  return "foreachRDD:" + spec.stream;
}

}  // namespace streamsim::scenarios
