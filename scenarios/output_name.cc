// The name a run gives each output (scenarios/output_name.h).
#include "scenarios/output_name.h"

namespace streamsim::scenarios {

std::string OutputName(const OutputSpec& spec) {
  if (spec.kind == "print") return "print:" + spec.stream;
  if (spec.kind == "collect") return spec.collect_name;
  if (spec.kind == "saveAsTextFiles") return "saveAsTextFiles:" + spec.stream;
  if (spec.kind == "sink") return "sink:" + spec.sink_table;
  return "foreachRDD:" + spec.stream;
}

}  // namespace streamsim::scenarios
