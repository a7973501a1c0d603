// The scenario's `expect:` section (scenarios/expect_reader.h).
#include "scenarios/expect_reader.h"

#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {

ExpectSpec ReadExpect(const YamlContext& context, const YamlField& field) {
  const MappingReader mapping(context, field, "expect", {"guarantee"});
  ExpectSpec expect;
  expect.position = field.position;
  if (mapping.Has("guarantee")) {
    expect.guarantee = ToChoice(mapping.Field("guarantee"),
                                {"exactly-once", "at-least-once", "at-most-once"}, "guarantee");
  }
  return expect;
}

}  // namespace streamsim::scenarios
