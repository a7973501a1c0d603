// The lookups of the expression tree (expression_tree.h): bindable names by their slot, and the
// table of functions, which the parser consults by name and the evaluator by id.
#include "records/expression_tree.h"

#include <array>
#include <string_view>

namespace streamsim::records::expression_internal {
namespace {

constexpr std::array<FunctionInfo, 20> kFunctions = {{
    {"if", Function::kIf, 3, 3},
    {"len", Function::kLen, 1, 1},
    {"contains", Function::kContains, 2, 2},
    {"starts_with", Function::kStartsWith, 2, 2},
    {"ends_with", Function::kEndsWith, 2, 2},
    {"split", Function::kSplit, 2, 2},
    {"lower", Function::kLower, 1, 1},
    {"upper", Function::kUpper, 1, 1},
    {"trim", Function::kTrim, 1, 1},
    {"to_string", Function::kToString, 1, 1},
    {"to_int", Function::kToInt, 1, 1},
    {"to_double", Function::kToDouble, 1, 1},
    {"sum", Function::kSum, 1, 1},
    {"count", Function::kCount, 1, 1},
    {"min", Function::kMin, 1, 2},
    {"max", Function::kMax, 1, 2},
    {"chars", Function::kChars, 1, 1},
    {"range", Function::kRange, 2, 2},
    {"abs", Function::kAbs, 1, 1},
    {"fail", Function::kFail, 1, 1},
}};

// InfoOf indexes the table by the enum, so the two must list functions in the same order.
constexpr bool FunctionTableFollowsEnum() {
  for (size_t i = 0; i < kFunctions.size(); ++i) {
    if (static_cast<size_t>(kFunctions[i].function) != i) return false;
  }
  return true;
}
static_assert(FunctionTableFollowsEnum());

}  // namespace

int FindNameSlot(std::string_view name) {
  for (size_t slot = 0; slot < kNameSlots.size(); ++slot) {
    if (kNameSlots[slot].name == name) return static_cast<int>(slot);
  }
  return -1;
}

const FunctionInfo* FindFunction(std::string_view name) {
  for (const FunctionInfo& info : kFunctions) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

const FunctionInfo& InfoOf(Function function) { return kFunctions[static_cast<size_t>(function)]; }

}  // namespace streamsim::records::expression_internal
