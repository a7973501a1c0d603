// The operator table and the reading of operator chains.
#include "scenarios/operator_reader.h"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <utility>

#include "scenarios/expression_names.h"
#include "scenarios/expression_reader.h"
#include "scenarios/source_reader.h"
#include "scenarios/suggest.h"
#include "scenarios/yaml_scalars.h"

namespace streamsim::scenarios {
namespace {

constexpr size_t kOperatorsPerChainMax = 1000;
constexpr int kTransformDepthMax = 8;  // transform inside transform inside ...
constexpr int64_t kPartitionsMax = 10000;
constexpr size_t kInitialPairsMax = 100000;

// The parts an operator's argument may carry, as keys of its mapping form. Each operator's schema
// says which parts it accepts, which it requires, and which one a short argument stands for: a
// scalar for func / partitions / other / window, a sequence for ops.
enum Part : uint32_t {
  kNoPart = 0,
  kFunc = 1u << 0,        // func: an expression
  kPartitions = 1u << 1,  // partitions: number of result partitions
  kOther = 1u << 2,       // other: the other stream (union, joins, cogroup, transformWith)
  kOps = 1u << 3,         // ops: operators applied to each RDD (transform, transformWith)
  kWindow = 1u << 4,      // window: the window length, a duration
  kSlide = 1u << 5,       // slide: how often the window moves; absent: the parent's slide
  kInverse = 1u << 6,     // inverse: the inverse of the reduce function
  kFilter = 1u << 7,      // filter: which keys a windowed reduce keeps
  kTimeout = 1u << 8,     // timeout: mapWithState's idle timeout
  kInitial = 1u << 9,     // initial: [key, state] pairs the state starts from
};

struct PartKey {
  Part part;
  std::string_view key;
};
constexpr std::array<PartKey, 10> kPartKeys = {{
    {kFunc, "func"},
    {kInverse, "inverse"},
    {kFilter, "filter"},
    {kWindow, "window"},
    {kSlide, "slide"},
    {kPartitions, "partitions"},
    {kTimeout, "timeout"},
    {kInitial, "initial"},
    {kOther, "other"},
    {kOps, "ops"},
}};

struct OperatorSchema {
  std::string_view name;    // Spark's name
  uint32_t parts;           // parts its mapping form accepts
  uint32_t required_parts;  // parts it must have
  Part shorthand;           // the part a non-mapping argument fills; kNoPart: mapping only
  bool bare_allowed;        // may be written without an argument: `ops: [count]`
  std::string_view names;   // names its func (and inverse) may use, in the order messages list them
};

// The names reduceByKeyAndWindow's filter may use.
constexpr std::string_view kFilterNames = "k, v, x";

constexpr uint32_t kFuncAndPartitions = kFunc | kPartitions;
constexpr uint32_t kOtherAndPartitions = kOther | kPartitions;
// Operators that work on each batch's RDD, so that transform and transformWith may use them too.
// clang-format off
constexpr OperatorSchema kRddOperators[] = {
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

constexpr uint32_t kWindowAndSlide = kWindow | kSlide;
constexpr uint32_t kFuncAndWindow = kFunc | kWindow;
constexpr uint32_t kReduceWindow = kFunc | kInverse | kWindowAndSlide;
constexpr uint32_t kKeyedWindow = kWindowAndSlide | kPartitions;
constexpr uint32_t kReduceKeyWindow = kReduceWindow | kFilter | kPartitions;
constexpr uint32_t kUpdateState = kFuncAndPartitions | kInitial;
constexpr uint32_t kMapState = kUpdateState | kTimeout;
// Operators that only exist on streams: windows, which span batches, and state, kept from batch to
// batch. Not inside transform.
constexpr OperatorSchema kStreamOperators[] = {
    // name                   parts             required        shorthand bare  names
    {"window",                kWindowAndSlide,  kWindow,        kWindow, false, ""},
    {"reduceByWindow",        kReduceWindow,    kFuncAndWindow, kNoPart, false, "a, b"},
    {"reduceByKeyAndWindow",  kReduceKeyWindow, kFuncAndWindow, kNoPart, false, "a, b"},
    {"countByWindow",         kWindowAndSlide,  kWindow,        kNoPart, false, ""},
    {"countByValueAndWindow", kKeyedWindow,     kWindow,        kNoPart, false, ""},
    {"groupByKeyAndWindow",   kKeyedWindow,     kWindow,        kNoPart, false, ""},
    {"updateStateByKey",      kUpdateState,     kFunc,          kFunc,   false, "values, state, k"},
    {"mapWithState",          kMapState,        kFunc,          kFunc,   false,
     "k, v, state, timing_out"},
    {"stateSnapshots",        kNoPart,          kNoPart,        kNoPart, true,  ""},
};
// clang-format on

const OperatorSchema* FindOperator(std::string_view name) {
  for (const OperatorSchema& schema : kRddOperators) {
    if (schema.name == name) return &schema;
  }
  for (const OperatorSchema& schema : kStreamOperators) {
    if (schema.name == name) return &schema;
  }
  return nullptr;
}

bool IsStreamOnly(const OperatorSchema& schema) {
  return &schema >= std::begin(kStreamOperators) && &schema < std::end(kStreamOperators);
}

// initial: a list of [key, state] pairs, each read like a queue record.
std::vector<records::Value> ReadInitialPairs(const YamlContext& context, const YamlField& field) {
  std::vector<records::Value> pairs;
  for (const YamlField& item : SequenceItems(context, field, kInitialPairsMax)) {
    if (!item.node.IsSequence() || item.node.size() != 2) {
      const std::string size =
          item.node.IsSequence() ? fmt::format(" of {} items", item.node.size()) : "";
      Fail(item.position,
           fmt::format("expected a [key, state] pair, got {}{}", Describe(item.node), size));
    }
    pairs.push_back(ReadRecord(context, item));
  }
  return pairs;
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

  // The operator called `name`; inside a transform, only one that works on an RDD.
  const OperatorSchema& SchemaOf(const std::string& name, const Position& position) const {
    const OperatorSchema* schema = FindOperator(name);
    if (schema == nullptr) {
      Fail(position,
           fmt::format("unknown operator '{}'{}", name, DidYouMean(name, OperatorNames())));
    }
    if (depth_ > 0 && IsStreamOnly(*schema)) {
      Fail(position, fmt::format("'{}' works on a stream, not on one batch's RDD: it cannot be "
                                 "used inside transform or transformWith",
                                 name));
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
        spec->func = ReadCheckedExpression(value, schema.name, schema.names);
        return;
      case kInverse:
        spec->inverse = ReadCheckedExpression(value, schema.name, schema.names);
        return;
      case kFilter:
        spec->filter = ReadCheckedExpression(value, fmt::format("the filter of {}", schema.name),
                                             kFilterNames);
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
      case kWindow:
        spec->window = ToPositiveDuration(value);
        spec->window_position = value.position;
        return;
      case kSlide:
        spec->slide = ToPositiveDuration(value);
        spec->slide_position = value.position;
        return;
      case kTimeout:
        spec->timeout = ToPositiveDuration(value);
        return;
      case kInitial:
        spec->initial = ReadInitialPairs(context_, value);
        return;
      case kNoPart:
        break;
    }
    std::fprintf(stderr, "streamsim: operator table names an unknown part\n");
    std::abort();
  }

  // The expression of `value`, which may use only the names `allowed` lists (see
  // expression_names.h); `where` names the operator in messages.
  ExpressionSpec ReadCheckedExpression(const YamlField& value, std::string_view where,
                                       std::string_view allowed) const {
    ExpressionSpec expression = ReadExpression(context_, value);
    CheckExpressionNames(context_, value.node, expression, where, allowed);
    return expression;
  }

  std::vector<OperatorSpec> NestedChain(const YamlField& ops) {
    if (depth_ + 1 > kTransformDepthMax) {
      Fail(ops.position, fmt::format("transforms nest more than {} deep", kTransformDepthMax));
    }
    return ChainReader(context_, depth_ + 1).ReadChain(ops);
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
  for (const OperatorSchema& schema : kRddOperators) names.push_back(schema.name);
  for (const OperatorSchema& schema : kStreamOperators) names.push_back(schema.name);
  return names;
}

}  // namespace streamsim::scenarios
