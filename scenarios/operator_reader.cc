// The operator table and the reading of operator chains.
#include "scenarios/operator_reader.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "scenarios/expression_reader.h"
#include "scenarios/suggest.h"
#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

constexpr size_t kOperatorsPerChainMax = 1000;
constexpr int kTransformDepthMax = 8;  // transform inside transform inside ...
constexpr int64_t kPartitionsMax = 10000;

// The parts an operator's argument may carry, as keys of its mapping form. Each operator's schema
// says which parts it accepts, which it requires, and which one a short argument stands for: a
// scalar for func / partitions / other, a sequence for ops.
enum Part : uint32_t {
  kNoPart = 0,
  kFunc = 1u << 0,        // func: an expression
  kPartitions = 1u << 1,  // partitions: number of result partitions
  kOther = 1u << 2,       // other: the other stream (union, joins, cogroup, transformWith)
  kOps = 1u << 3,         // ops: operators applied to each RDD (transform, transformWith)
};

struct PartKey {
  Part part;
  std::string_view key;
};
constexpr std::array<PartKey, 4> kPartKeys = {{
    {kFunc, "func"},
    {kPartitions, "partitions"},
    {kOther, "other"},
    {kOps, "ops"},
}};

struct OperatorSchema {
  std::string_view name;    // Spark's name
  uint32_t parts;           // parts its mapping form accepts
  uint32_t required_parts;  // parts it must have
  Part shorthand;           // the part a non-mapping argument fills; kNoPart: mapping only
  bool bare_allowed;        // may be written without an argument: `ops: [count]`
  std::string_view names;   // names its func may use, in the order messages list them
};

// Window and state operators (window, reduceByWindow, reduceByKeyAndWindow, countByWindow,
// countByValueAndWindow, updateStateByKey, groupByKeyAndWindow, mapWithState, stateSnapshots)
// arrive with issue 3: new rows here, and new parts (window length, slide, inverse function,
// timeout) in Part, kPartKeys and ReadPart.
constexpr uint32_t kFuncAndPartitions = kFunc | kPartitions;
constexpr uint32_t kOtherAndPartitions = kOther | kPartitions;
// clang-format off
constexpr OperatorSchema kOperators[] = {
    // name            parts                 required         shorthand    bare   names
    {"map",            kFunc,                kFunc,           kFunc,       false, "x"},
    {"filter",         kFunc,                kFunc,           kFunc,       false, "x"},
    {"flatMap",        kFunc,                kFunc,           kFunc,       false, "x"},
    {"mapPartitions",  kFunc,                kFunc,           kFunc,       false, "xs"},
    {"mapValues",      kFunc,                kFunc,           kFunc,       false, "v, k, x"},
    {"flatMapValues",  kFunc,                kFunc,           kFunc,       false, "v, k, x"},
    {"reduce",         kFunc,                kFunc,           kFunc,       false, "a, b"},
    {"reduceByKey",    kFuncAndPartitions,   kFunc,           kFunc,       false, "a, b"},
    {"groupByKey",     kPartitions,          kNoPart,         kNoPart,     true,  ""},
    {"countByValue",   kPartitions,          kNoPart,         kNoPart,     true,  ""},
    {"count",          kNoPart,              kNoPart,         kNoPart,     true,  ""},
    {"repartition",    kPartitions,          kPartitions,     kPartitions, false, ""},
    {"union",          kOther,               kOther,          kOther,      false, ""},
    {"join",           kOtherAndPartitions,  kOther,          kOther,      false, ""},
    {"leftOuterJoin",  kOtherAndPartitions,  kOther,          kOther,      false, ""},
    {"rightOuterJoin", kOtherAndPartitions,  kOther,          kOther,      false, ""},
    {"fullOuterJoin",  kOtherAndPartitions,  kOther,          kOther,      false, ""},
    {"cogroup",        kOtherAndPartitions,  kOther,          kOther,      false, ""},
    {"transform",      kOps,                 kOps,            kOps,        false, ""},
    {"transformWith",  kOther | kOps,        kOther | kOps,   kNoPart,     false, ""},
};
// clang-format on

// Every name an expression can bind (engine::Bindings), in its order.
constexpr std::array<std::string_view, 9> kBindableNames = {"x", "a", "b",  "values",    "state",
                                                            "k", "v", "xs", "timing_out"};

const OperatorSchema* FindOperator(std::string_view name) {
  for (const OperatorSchema& schema : kOperators) {
    if (schema.name == name) return &schema;
  }
  return nullptr;
}

bool Allows(const OperatorSchema& schema, std::string_view name) {
  for (std::string_view rest = schema.names; !rest.empty();) {
    const size_t comma = rest.find(", ");
    if (rest.substr(0, comma) == name) return true;
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  return false;
}

bool IsIdentifierCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Offset of the first use of identifier `name` in `text` outside string literals, or 0 when it
// is not found (the expression's start is then the best position).
size_t FindIdentifier(std::string_view text, std::string_view name) {
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (text.substr(i, name.size()) == name &&
               (i == 0 || !IsIdentifierCharacter(text[i - 1])) &&
               (i + name.size() == text.size() || !IsIdentifierCharacter(text[i + name.size()]))) {
      return i;
    }
  }
  return 0;
}

// The 1-based line and column of byte `offset` of `text`.
std::pair<int, int> LineAndColumn(std::string_view text, size_t offset) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

// Reads operator chains, tracking how deep transforms nest.
class ChainReader {
 public:
  ChainReader(const YamlContext& context, int depth) : context_(context), depth_(depth) {}

  std::vector<OperatorSpec> ReadChain(const YamlField& ops) {
    std::vector<OperatorSpec> chain;
    for (const YamlField& item : SequenceItems(context_, ops, kOperatorsPerChainMax)) {
      chain.push_back(ReadOperator(item));
    }
    return chain;
  }

 private:
  OperatorSpec ReadOperator(const YamlField& item) {
    if (item.node.IsScalar()) return ReadBareOperator(item);
    if (!item.node.IsMap() || item.node.size() != 1) {
      Fail(item.position, fmt::format("expected an operator: a name like count or a mapping with "
                                      "one key like {{map: \"x * 2\"}}, got {}{}",
                                      Describe(item.node), KeyList(item.node)));
    }
    // Copies, not references: yaml-cpp's iterator hands out a temporary pair.
    const YAML::Node key = item.node.begin()->first;
    const YAML::Node argument = item.node.begin()->second;
    const YamlField name{key, context_.PositionOf(key, item.position), ""};
    OperatorSpec spec;
    spec.name = ToText(name);
    spec.position = name.position;
    const OperatorSchema& schema = SchemaOf(spec.name, spec.position);
    const Position argument_position =
        argument.IsNull() ? spec.position : context_.PositionOf(argument, spec.position);
    ReadArgument(schema, YamlField{argument, argument_position, spec.name}, &spec);
    return spec;
  }

  OperatorSpec ReadBareOperator(const YamlField& item) {
    OperatorSpec spec;
    spec.name = item.node.Scalar();
    spec.position = item.position;
    const OperatorSchema& schema = SchemaOf(spec.name, spec.position);
    if (!schema.bare_allowed) {
      Fail(spec.position,
           fmt::format("'{}' needs an argument: write {{{}: ...}}", spec.name, spec.name));
    }
    return spec;
  }

  // " with keys a, b" for a mapping (to say why it is not an operator), else "".
  static std::string KeyList(const YAML::Node& node) {
    if (!node.IsMap() || node.size() == 0) return "";
    std::string keys;
    for (auto it = node.begin(); it != node.end(); ++it) {
      keys += (keys.empty() ? "" : ", ") + (it->first.IsScalar() ? it->first.Scalar() : "?");
    }
    return " with keys " + keys;
  }

  static const OperatorSchema& SchemaOf(const std::string& name, const Position& position) {
    const OperatorSchema* schema = FindOperator(name);
    if (schema == nullptr) {
      Fail(position,
           fmt::format("unknown operator '{}'{}", name, DidYouMean(name, OperatorNames())));
    }
    return *schema;
  }

  void ReadArgument(const OperatorSchema& schema, const YamlField& argument, OperatorSpec* spec) {
    if (argument.node.IsNull()) {
      if (schema.bare_allowed) return;
      Fail(argument.position, fmt::format("'{}' needs an argument", schema.name));
    }
    if (schema.parts == kNoPart) {
      Fail(argument.position, fmt::format("'{}' takes no argument", schema.name));
    }
    if (argument.node.IsMap() || schema.shorthand == kNoPart) {
      ReadArgumentMapping(schema, argument, spec);
    } else {
      ReadPart(schema, schema.shorthand, argument, spec);
    }
  }

  void ReadArgumentMapping(const OperatorSchema& schema, const YamlField& argument,
                           OperatorSpec* spec) {
    std::vector<std::string_view> keys;
    for (const PartKey& part : kPartKeys) {
      if ((schema.parts & part.part) != 0) keys.push_back(part.key);
    }
    const MappingReader mapping(context_, argument, std::string(schema.name), keys);
    for (const PartKey& part : kPartKeys) {
      if ((schema.required_parts & part.part) != 0) mapping.Required(part.key);
      if (mapping.Has(part.key)) ReadPart(schema, part.part, mapping.Field(part.key), spec);
    }
  }

  void ReadPart(const OperatorSchema& schema, Part part, const YamlField& value,
                OperatorSpec* spec) {
    switch (part) {
      case kFunc:
        spec->func = ReadExpression(context_, value);
        CheckNames(schema, value.node, *spec->func);
        return;
      case kPartitions:
        spec->partitions = static_cast<int>(ToInt(value, 1, kPartitionsMax));
        return;
      case kOther:
        spec->other = ToName(value);
        spec->other_position = value.position;
        return;
      case kOps:
        spec->ops = NestedChain(value);
        return;
      case kNoPart:
        break;
    }
    std::fprintf(stderr, "streamsim: operator table names an unknown part\n");
    std::abort();
  }

  std::vector<OperatorSpec> NestedChain(const YamlField& ops) {
    if (depth_ + 1 > kTransformDepthMax) {
      Fail(ops.position, fmt::format("transforms nest more than {} deep", kTransformDepthMax));
    }
    return ChainReader(context_, depth_ + 1).ReadChain(ops);
  }

  // A name the operator does not bind would only fail at run time, batch after batch; say so now.
  void CheckNames(const OperatorSchema& schema, const YAML::Node& scalar,
                  const ExpressionSpec& func) const {
    for (std::string_view name : kBindableNames) {
      if (!func.expression.Uses(name) || Allows(schema, name)) continue;
      const auto [line, column] =
          LineAndColumn(func.expression.text(), FindIdentifier(func.expression.text(), name));
      Fail(LocateInScalar(context_, scalar, line, column),
           fmt::format("'{}' is not available in {}; it can use {}", name, schema.name,
                       schema.names.empty() ? "no names" : schema.names));
    }
  }

  const YamlContext& context_;
  int depth_;
};

}  // namespace

std::vector<OperatorSpec> ReadOperators(const YamlContext& context, const YamlField& ops) {
  return ChainReader(context, 0).ReadChain(ops);
}

std::vector<std::string_view> OperatorNames() {
  std::vector<std::string_view> names;
  for (const OperatorSchema& schema : kOperators) names.push_back(schema.name);
  return names;
}

}  // namespace streamsim::scenarios
