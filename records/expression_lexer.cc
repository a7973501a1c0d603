// The lexer of the expression language (expression_lexer.h): a single pass over the text that
// counts lines and byte columns, longest-match punctuation, and error messages that suggest the
// operator meant ('=' for '==', '&' for '&&').
#include "records/expression_lexer.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace streamsim::records::expression_internal {

[[noreturn]] void FailAt(int line, int column, std::string message) {
  throw ParseFailure{ExpressionError{std::move(message), line, column}};
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentifierPart(char c) { return IsIdentifierStart(c) || IsDigit(c); }

constexpr std::array<std::string_view, 19> kPunctuation = {
    "||", "&&", "==", "!=", "<=", ">=", "<", ">", "+", "-",
    "*",  "/",  "%",  "!",  "(",  ")",  "[", "]", ",",
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> Tokenize() {
    std::vector<Token> tokens;
    while (true) {
      SkipWhitespace();
      tokens.push_back(NextToken());
      if (tokens.back().kind == TokenKind::kEnd) return tokens;
    }
  }

 private:
  bool AtEnd() const { return position_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return position_ + ahead < text_.size() ? text_[position_ + ahead] : '\0';
  }

  void Advance() {
    if (text_[position_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++position_;
  }

  void SkipWhitespace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\r' || Peek() == '\n')) {
      Advance();
    }
  }

  Token Start(TokenKind kind) const {
    Token token;
    token.kind = kind;
    token.line = line_;
    token.column = column_;
    return token;
  }

  void Finish(Token& token, size_t start) const {
    token.text = text_.substr(start, position_ - start);
  }

  Token NextToken() {
    if (AtEnd()) return Start(TokenKind::kEnd);
    const char c = Peek();
    if (IsDigit(c)) return Number();
    if (c == '"' || c == '\'') return String();
    if (IsIdentifierStart(c)) return Identifier();
    return Punctuation();
  }

  Token Identifier() {
    Token token = Start(TokenKind::kIdentifier);
    const size_t start = position_;
    while (!AtEnd() && IsIdentifierPart(Peek())) Advance();
    Finish(token, start);
    return token;
  }

  void ConsumeDigits(const char* what) {
    if (!IsDigit(Peek())) {
      FailAt(line_, column_,
             fmt::format("expected a digit {} in '{}'", what,
                         text_.substr(token_start_, position_ - token_start_)));
    }
    while (IsDigit(Peek())) Advance();
  }

  Token Number() {
    Token token = Start(TokenKind::kInteger);
    token_start_ = position_;
    while (IsDigit(Peek())) Advance();
    if (Peek() == '.') {
      token.kind = TokenKind::kDecimal;
      Advance();
      ConsumeDigits("after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      token.kind = TokenKind::kDecimal;
      Advance();
      if (Peek() == '+' || Peek() == '-') Advance();
      ConsumeDigits("in the exponent");
    }
    Finish(token, token_start_);
    ConvertNumber(token);
    return token;
  }

  static void ConvertNumber(Token& token) {
    const char* begin = token.text.data();
    const char* end = begin + token.text.size();
    std::errc error;
    if (token.kind == TokenKind::kInteger) {
      error = std::from_chars(begin, end, token.integer).ec;
      if (error == std::errc() && token.integer > (uint64_t{1} << 63)) {
        error = std::errc::result_out_of_range;
      }
    } else {
      error = std::from_chars(begin, end, token.decimal).ec;
    }
    if (error != std::errc()) {
      FailAt(token.line, token.column, fmt::format("number '{}' is out of range", token.text));
    }
  }

  Token String() {
    Token token = Start(TokenKind::kString);
    const size_t start = position_;
    const char quote = Peek();
    Advance();
    while (true) {
      if (AtEnd()) FailAt(token.line, token.column, "unterminated string");
      const char c = Peek();
      if (c == quote) break;
      if (c == '\\') {
        token.string += Escape(token);
      } else {
        token.string += c;
        Advance();
      }
    }
    Advance();
    Finish(token, start);
    return token;
  }

  char Escape(const Token& string_token) {
    const int line = line_;
    const int column = column_;
    Advance();
    if (AtEnd()) FailAt(string_token.line, string_token.column, "unterminated string");
    const char c = Peek();
    Advance();
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\\':
      case '"':
      case '\'':
        return c;
      default:
        FailAt(line, column, fmt::format("unknown escape '\\{}'", c));
    }
  }

  Token Punctuation() {
    Token token = Start(TokenKind::kPunctuation);
    const size_t start = position_;
    for (std::string_view punctuation : kPunctuation) {
      if (text_.substr(position_, punctuation.size()) == punctuation) {
        for (size_t i = 0; i < punctuation.size(); ++i) Advance();
        Finish(token, start);
        return token;
      }
    }
    FailAt(line_, column_, DescribeUnexpected(Peek()));
  }

  static std::string DescribeUnexpected(char c) {
    if (c == '=') return "unexpected '='; compare with '=='";
    if (c == '&') return "unexpected '&'; use '&&'";
    if (c == '|') return "unexpected '|'; use '||'";
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x21 && byte < 0x7f) return fmt::format("unexpected character '{}'", c);
    return fmt::format("unexpected byte 0x{:02x}", byte);
  }

  std::string_view text_;
  size_t position_ = 0;
  size_t token_start_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view text) { return Lexer(text).Tokenize(); }

}  // namespace streamsim::records::expression_internal
