// The lexer of the expression language, internal to it (only records/expression*.cc include this
// header): it turns the text into tokens with their 1-based line and column, numbers converted and
// string escapes resolved. Lexer and parser report their first error by throwing ParseFailure,
// which Expression::Parse (expression.cc) catches and returns as an ExpressionError; it never
// leaves Parse.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "records/expression.h"

namespace streamsim::records::expression_internal {

enum class TokenKind { kEnd, kInteger, kDecimal, kString, kIdentifier, kPunctuation };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;  // as written in the source
  int line = 1;
  int column = 1;
  uint64_t integer = 0;  // kInteger: the magnitude (up to 2^63, for -9223372036854775808)
  double decimal = 0;    // kDecimal
  std::string string;    // kString: with escapes resolved
};

struct ParseFailure {
  ExpressionError error;
};

// Throws the ParseFailure of an error at `line`:`column` of the expression text.
[[noreturn]] void FailAt(int line, int column, std::string message);

// The tokens of `text`, ending with one of kind kEnd. Throws ParseFailure on the first error.
// The tokens' `text` views point into `text`, which must outlive them.
std::vector<Token> Tokenize(std::string_view text);

}  // namespace streamsim::records::expression_internal
