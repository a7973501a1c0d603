// Element operators computed record by record, into the reduceByKey after them
// (checker/oracle_chain.h).
#include "checker/oracle_chain.h"

#include <optional>
#include <string_view>
#include <utility>

#include "checker/oracle_batch.h"
#include "checker/oracle_support.h"
#include "records/expression_shape.h"

namespace streamsim::checker::oracle {
namespace {

using records::Value;
using records::Values;
using Kind = records::ExpressionShape::Kind;

// One pass of a batch's records through a chain.
class ChainRun {
 public:
  explicit ChainRun(const std::vector<OperatorModel>& chain) {
    for (const OperatorModel& op : chain) {
      if (op.name == "reduceByKey") {
        reduction_.emplace(*op.func);
      } else {
        stages_.push_back(Stage{&op, ElementOf(op.name), op.func->Shape(), Memo(), Values(), {}});
      }
    }
  }

  // `record` given to the stage at `index` (past the last stage: to the result).
  void Push(size_t index, const Value& record) {
    if (index == stages_.size()) return Emit(record);
    Stage& stage = stages_[index];
    if (PushNatively(index, stage, record)) return;
    const Value* result = stage.memo.Find(record);
    if (result == nullptr) {
      records::Bindings bindings;
      bindings.x = &record;
      result = &stage.memo.Keep(record, stage.op->func->Evaluate(bindings));
    }
    if (stage.element == Element::kMap) {
      Push(index + 1, *result);
    } else if (stage.element == Element::kFilter) {
      if (BoolResult(*result, "filter")) Push(index + 1, record);
    } else {
      for (const Value& item : SequenceResult(*result, stage.op->name)) Push(index + 1, item);
    }
  }

  Values Result() { return reduction_ ? reduction_->Pairs() : std::move(output_); }

 private:
  enum class Element { kMap, kFilter, kFlatMap };
  static Element ElementOf(const std::string& name) {
    if (name == "map") return Element::kMap;
    return name == "filter" ? Element::kFilter : Element::kFlatMap;
  }

  struct Stage {
    const OperatorModel* op;
    Element element;
    records::ExpressionShape shape;
    Memo memo;
    Values fields;                        // a flatMap's split of the record at hand
    std::vector<std::string_view> views;  // the same, as views into the record
  };

  // The shapes computed without the evaluator: true when `record` was.
  bool PushNatively(size_t index, Stage& stage, const Value& record) {
    const bool text = record.kind() == Value::Kind::kString;
    if (stage.element == Element::kFilter && stage.shape.kind == Kind::kXContainsLiteral && text) {
      if (record.AsString().find(stage.shape.literal.AsString()) != std::string::npos) {
        Push(index + 1, record);
      }
      return true;
    }
    if (stage.element == Element::kFlatMap && stage.shape.kind == Kind::kSplitXOnLiteral && text &&
        IntoReductionAsPairs(index + 1)) {
      // A word count: each word's pair (word, literal) reduced, without a Value of the word.
      if (!records::SplitViews(record.AsString(), stage.shape.literal.AsString(), &stage.views)) {
        return false;  // the evaluator says why it fails
      }
      const Value& count = stages_[index + 1].shape.literal;
      for (std::string_view word : stage.views) reduction_->AddText(word, count);
      return true;
    }
    if (stage.element == Element::kFlatMap && stage.shape.kind == Kind::kSplitXOnLiteral && text) {
      stage.fields.clear();
      if (!records::AppendSplit(record.AsString(), stage.shape.literal.AsString(), &stage.fields)) {
        return false;  // the evaluator says why it fails
      }
      for (const Value& field : stage.fields) Push(index + 1, field);
      return true;
    }
    if (stage.element == Element::kMap && IntoReductionAsPairs(index)) {
      reduction_->Add(record, stage.shape.literal);  // the pair's key and value, no pair
      return true;
    }
    return false;
  }

  // Whether the stage at `index` is the last, a map to (x, literal) whose pairs the reduceByKey
  // after it reduces.
  bool IntoReductionAsPairs(size_t index) const {
    return reduction_ && index + 1 == stages_.size() && stages_[index].element == Element::kMap &&
           stages_[index].shape.kind == Kind::kPairOfXAndLiteral;
  }

  void Emit(const Value& record) {
    if (!reduction_) return output_.push_back(record);
    reduction_->Add(KeyOf(record, "reduceByKey"), ValueOf(record, "reduceByKey"));
  }

  std::vector<Stage> stages_;
  std::optional<KeyedReduction> reduction_;
  Values output_;
};

class ChainNode : public UnaryNode {
 public:
  ChainNode(const Node* input, std::vector<OperatorModel> chain)
      : UnaryNode(input), chain_(std::move(chain)) {}

 protected:
  OracleBatch Compute(sim::Instant t) override {
    const OracleBatch& input = InputAt(t);
    if (input.failed()) return input;
    return EvaluateBatch([&]() { return ChainRecords(chain_, input.records); });
  }

 private:
  std::vector<OperatorModel> chain_;
};

Values RunChain(const std::vector<OperatorModel>& chain, const Values& input) {
  ChainRun run(chain);
  for (const Value& record : input) run.Push(0, record);
  return run.Result();
}

}  // namespace

bool IsElementOperator(const std::string& name) {
  return name == "map" || name == "filter" || name == "flatMap";
}

size_t ChainEnd(const std::vector<OperatorModel>& ops, size_t begin) {
  size_t end = begin;
  while (end < ops.size() && IsElementOperator(ops[end].name)) ++end;
  if (end > begin && end < ops.size() && ops[end].name == "reduceByKey") ++end;
  return end;
}

Values ChainRecords(const std::vector<OperatorModel>& chain, const Values& input) {
  if (chain.size() == 1) return RunChain(chain, input);
  try {
    return RunChain(chain, input);
  } catch (const records::EvalError&) {
    // Which record fails first depends on the order; operator by operator gives Spark's.
    const OtherRecords none = [](const std::string& name) -> Values {
      Die("an element operator read '" + name + "'");
    };
    return ApplyBatchChain(chain, input, none);
  }
}

Node* AddChainNode(Dataflow* dataflow, const Node* input, std::vector<OperatorModel> chain) {
  for (const OperatorModel& op : chain) {
    if (!op.func) Die("'" + op.name + "' has no function");
  }
  return dataflow->Add<ChainNode>(input, std::move(chain));
}

}  // namespace streamsim::checker::oracle
