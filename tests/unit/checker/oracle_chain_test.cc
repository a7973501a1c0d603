#include "checker/oracle_chain.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "checker/oracle_batch.h"
#include "oracle_test_support.h"

namespace streamsim::checker::oracle {
namespace {

using records::Value;
using records::Values;
using testing::Records;

std::vector<OperatorModel> Chain(const std::vector<std::pair<const char*, const char*>>& ops) {
  std::vector<OperatorModel> chain;
  for (const auto& [name, func] : ops) chain.push_back(FixedOperator(name, func));
  return chain;
}

// The records, or the failure's message.
using Outcome = std::pair<Values, std::string>;

Outcome Fused(const std::vector<OperatorModel>& chain, const Values& input) {
  try {
    return {ChainRecords(chain, input), ""};
  } catch (const records::EvalError& error) {
    return {{}, error.what()};
  }
}

// What the operators give one after the other, each on the whole batch.
Outcome OneByOne(const std::vector<OperatorModel>& chain, Values input) {
  for (const OperatorModel& op : chain) {
    Outcome step = Fused({op}, input);
    if (!step.second.empty()) return step;
    input = std::move(step.first);
  }
  return {input, ""};
}

TEST(OracleChainTest, AChainIsItsElementOperatorsAndTheReduceByKeyAfterThem) {
  const auto ops = Chain({{"flatMap", "split(x, \" \")"},
                          {"map", "(x, 1)"},
                          {"reduceByKey", "a + b"},
                          {"map", "x"},
                          {"count", nullptr},
                          {"filter", "true"}});
  EXPECT_EQ(ChainEnd(ops, 0), 3U);
  EXPECT_EQ(ChainEnd(ops, 2), 2U);  // a reduceByKey alone is no chain
  EXPECT_EQ(ChainEnd(ops, 3), 4U);
  EXPECT_EQ(ChainEnd(ops, 4), 4U);
  EXPECT_EQ(ChainEnd(ops, 5), 6U);
}

TEST(OracleChainTest, AWordCountMakesNoPairUntilItsResult) {
  const auto chain =
      Chain({{"flatMap", "split(x, \" \")"}, {"map", "(x, 1)"}, {"reduceByKey", "a + b"}});
  EXPECT_EQ(ChainRecords(chain, Records("[\"b a\", \"a c a\"]")),
            Records("[(\"a\", 3), (\"b\", 1), (\"c\", 1)]"));
}

// The fused pass would meet the filter's division by zero on the first record; operator by
// operator, the map fails first, on the third.
TEST(OracleChainTest, AFailureIsTheOneOfTheFirstOperatorToFailOnTheBatch) {
  const auto chain = Chain({{"map", "x * 1"}, {"filter", "x / 0 > 1"}});
  const Value text = Value::String("s");
  records::Bindings bindings;
  bindings.x = &text;
  std::string map_failure;
  try {
    chain[0].func->Evaluate(bindings);
  } catch (const records::EvalError& error) {
    map_failure = error.what();
  }
  ASSERT_FALSE(map_failure.empty());
  try {
    ChainRecords(chain, Records("[1, 2, \"s\"]"));
    FAIL() << "the chain did not fail";
  } catch (const records::EvalError& error) {
    EXPECT_EQ(std::string(error.what()), map_failure);
  }
}

RC_GTEST_PROP(OracleChainProperty, AChainGivesWhatItsOperatorsGiveOneAfterTheOther, ()) {
  const std::vector<std::pair<const char*, const char*>> vocabulary = {
      {"map", "x * 2"},
      {"map", "(x % 5, 1)"},
      {"map", "x"},
      {"map", "100 / (x - 3)"},
      {"filter", "x % 3 != 0"},
      {"flatMap", "[x, x + 1]"},
      {"flatMap", "range(0, x % 4)"}};
  std::vector<std::pair<const char*, const char*>> ops;
  const size_t length = *rc::gen::inRange<size_t>(1, 4);
  for (size_t i = 0; i < length; ++i) {
    ops.push_back(vocabulary[*rc::gen::inRange<size_t>(0, vocabulary.size())]);
  }
  if (*rc::gen::arbitrary<bool>()) {
    ops.push_back({"map", "(x % 7, x)"});
    ops.push_back({"reduceByKey", "a + b"});
  }
  Values input;
  for (int x : *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 50))) {
    input.push_back(Value::Int(x));
  }
  const auto chain = Chain(ops);
  RC_ASSERT(Fused(chain, input) == OneByOne(chain, input));
}

}  // namespace
}  // namespace streamsim::checker::oracle
