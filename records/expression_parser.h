// The parser of the expression language, internal to it (only records/expression*.cc include this
// header): recursive descent over the grammar in expression.h, building the tree of
// expression_tree.h with names resolved to slots and functions to ids, and folding the parts that
// use no names into constants as it goes.
#pragma once

#include <cstdint>
#include <vector>

#include "records/expression_lexer.h"
#include "records/expression_tree.h"

namespace streamsim::records::expression_internal {

// A whole expression as parsed: its tree and the names it mentions (a bit per slot of kNameSlots).
struct ParsedTree {
  Node root;
  uint32_t names_used = 0;
};

// Parses the tokens of a whole expression (as Tokenize returns them, ending with kEnd). Throws
// ParseFailure on the first error.
ParsedTree ParseTokens(std::vector<Token> tokens);

}  // namespace streamsim::records::expression_internal
