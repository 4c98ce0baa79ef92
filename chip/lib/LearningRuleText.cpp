//===- LearningRuleText.cpp - Parse and print a learning rule's text ------===//
//
// The text form (docs/learning.md, "Text form") is one equation per target,
// separated by ';' or newlines:
//
//   rule     := equation { (';' | newline) equation }
//   equation := ("dw" | "dd" | "dt") '=' ['+' | '-'] term { ('+' | '-') term }
//   term     := item { '*' item }
//   item     := integer | "2^" ['+' | '-'] integer | variable
//             | '(' variable ('+' | '-') integer ')'
//             | ('+' | '-') integer                  (not a term's first item)
//
// A term's first item, when an integer, is its scale mantissa; a later
// (signed) integer is a constant factor. One 2^e gives the exponent, and
// exactly one of x0, y0, u is the term's dependency. A recursive-descent parser
// over a token list; an error names the token and its column.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/Learning.h"

#include <cctype>
#include <optional>
#include <string>

namespace cajal::chip {
namespace {

constexpr int64_t kMaxLiteral = 1000000000;

enum class TokenKind { Name, Integer, Symbol, Separator, End };

struct Token {
  TokenKind kind;
  std::string text;
  size_t column; ///< 1-based
  int64_t value = 0;
};

std::string describe(const Token &token) {
  if (token.kind == TokenKind::End)
    return "end of text";
  if (token.kind == TokenKind::Separator)
    return token.text == "\n" ? "end of line" : "';'";
  return "'" + token.text + "'";
}

Error errorAt(const Token &token, const std::string &message) {
  return Error("learning rule: column " + std::to_string(token.column) + ": " +
               message);
}

Result<std::vector<Token>> tokenize(const std::string &text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const size_t column = i + 1;
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '\n' || c == ';') {
      tokens.push_back({TokenKind::Separator, std::string(1, c), column});
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t end = i;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) ||
              text[end] == '_'))
        ++end;
      tokens.push_back({TokenKind::Name, text.substr(i, end - i), column});
      i = end;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t end = i;
      int64_t value = 0;
      while (end < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[end]))) {
        if (value <= kMaxLiteral)
          value = value * 10 + (text[end] - '0');
        ++end;
      }
      Token token{TokenKind::Integer, text.substr(i, end - i), column, value};
      if (value > kMaxLiteral)
        return errorAt(token, "integer " + describe(token) + " is too large");
      tokens.push_back(std::move(token));
      i = end;
    } else if (std::string("=+-*^()").find(c) != std::string::npos) {
      tokens.push_back({TokenKind::Symbol, std::string(1, c), column});
      ++i;
    } else {
      return errorAt({TokenKind::Symbol, std::string(1, c), column},
                     "unexpected character '" + std::string(1, c) + "'");
    }
  }
  tokens.push_back({TokenKind::End, "", text.size() + 1});
  return tokens;
}

std::optional<LearningVariable> variableNamed(const std::string &name) {
  for (unsigned v = 0; v < static_cast<unsigned>(LearningVariable::C); ++v)
    if (name == learningVariableName(static_cast<LearningVariable>(v)))
      return static_cast<LearningVariable>(v);
  return std::nullopt;
}

bool isDependencyVariable(LearningVariable v) {
  return v == LearningVariable::X0 || v == LearningVariable::Y0 ||
         v == LearningVariable::U;
}

class Parser {
public:
  explicit Parser(std::vector<Token> tokenList)
      : tokens(std::move(tokenList)) {}

  Result<LearningRule> parseRule() {
    LearningRule rule;
    bool any = false;
    while (true) {
      while (peek().kind == TokenKind::Separator)
        ++pos;
      if (peek().kind == TokenKind::End)
        break;
      if (Status s = parseEquation(rule); !s)
        return s.takeError();
      any = true;
      if (peek().kind != TokenKind::Separator && peek().kind != TokenKind::End)
        return errorAt(peek(), "expected '+', '-', ';' or end of line, found " +
                                   describe(peek()));
    }
    if (!any)
      return errorAt(peek(), "empty rule (expected dw, dd or dt = ...)");
    return rule;
  }

private:
  const Token &peek() const { return tokens[pos]; }
  bool isSymbol(const char *symbol) const {
    return peek().kind == TokenKind::Symbol && peek().text == symbol;
  }
  Status expect(const char *symbol, const char *what) {
    if (!isSymbol(symbol))
      return errorAt(peek(), std::string("expected ") + what + ", found " +
                                 describe(peek()));
    ++pos;
    return Status::ok();
  }

  Status parseEquation(LearningRule &rule) {
    const Token &name = peek();
    std::optional<LearningTarget> target;
    for (unsigned k = 0; k < kLearningTargetCount; ++k)
      if (name.kind == TokenKind::Name &&
          name.text == learningTargetName(static_cast<LearningTarget>(k)))
        target = static_cast<LearningTarget>(k);
    if (!target)
      return errorAt(name, "expected dw, dd or dt, found " + describe(name));
    if (seen[static_cast<unsigned>(*target)])
      return errorAt(name, "second equation for " + name.text);
    seen[static_cast<unsigned>(*target)] = true;
    ++pos;
    if (Status s = expect("=", "'='"); !s)
      return s;
    std::vector<RuleTerm> &terms = rule.of(*target);
    bool negative = false;
    if (isSymbol("+") || isSymbol("-")) {
      negative = isSymbol("-");
      ++pos;
    }
    while (true) {
      Result<RuleTerm> term = parseTerm();
      if (!term)
        return term.takeError();
      if (negative)
        term->mantissa = -term->mantissa;
      terms.push_back(std::move(*term));
      if (!isSymbol("+") && !isSymbol("-"))
        return Status::ok();
      negative = isSymbol("-");
      ++pos;
    }
  }

  Result<int64_t> parseSignedInteger() {
    bool negative = false;
    if (isSymbol("+") || isSymbol("-")) {
      negative = isSymbol("-");
      ++pos;
    }
    if (peek().kind != TokenKind::Integer)
      return errorAt(peek(), "expected an integer, found " + describe(peek()));
    return negative ? -tokens[pos++].value : tokens[pos++].value;
  }

  Result<RuleTerm> parseTerm() {
    const Token &first = peek();
    RuleTerm term;
    bool haveDependency = false, haveExponent = false;
    for (bool firstItem = true;; firstItem = false) {
      const Token &item = peek();
      if (item.kind == TokenKind::Integer && tokens[pos + 1].text == "^") {
        if (item.value != 2)
          return errorAt(item, "a scale is a power of 2, found " +
                                   describe(item) + "^");
        if (haveExponent)
          return errorAt(item, "second scale 2^ in one term");
        pos += 2;
        Result<int64_t> exponent = parseSignedInteger();
        if (!exponent)
          return exponent.takeError();
        term.exponent = int32_t(*exponent);
        haveExponent = true;
      } else if (item.kind == TokenKind::Integer && firstItem) {
        ++pos;
        term.mantissa = int32_t(item.value);
      } else if (!firstItem && (item.kind == TokenKind::Integer ||
                                ((isSymbol("-") || isSymbol("+")) &&
                                 tokens[pos + 1].kind == TokenKind::Integer))) {
        Result<int64_t> constant = parseSignedInteger();
        if (!constant)
          return constant.takeError();
        term.factors.push_back({LearningVariable::C, int32_t(*constant)});
      } else if (isSymbol("(")) {
        ++pos;
        Result<RuleFactor> factor = parseOffsetFactor();
        if (!factor)
          return factor.takeError();
        term.factors.push_back(*factor);
      } else if (item.kind == TokenKind::Name) {
        std::optional<LearningVariable> v = variableNamed(item.text);
        if (!v)
          return errorAt(item, "unknown variable " + describe(item) +
                                   " (expected x0, y0, u, x1, x2, y1, y2, "
                                   "y3, r, w, d or t)");
        ++pos;
        if (isDependencyVariable(*v)) {
          if (haveDependency)
            return errorAt(item, "second dependency " + describe(item) +
                                     " in one term (one of x0, y0, u)");
          term.dependency = *v;
          haveDependency = true;
        } else {
          term.factors.push_back({*v, 0});
        }
      } else {
        return errorAt(item, "expected a factor, found " + describe(item));
      }
      if (!isSymbol("*"))
        break;
      ++pos;
    }
    if (!haveDependency)
      return errorAt(first, "the term at " + describe(first) +
                                " has no dependency (x0, y0 or u)");
    return term;
  }

  /// After '(': variable ('+' | '-') integer ')'.
  Result<RuleFactor> parseOffsetFactor() {
    const Token &name = peek();
    std::optional<LearningVariable> v;
    if (name.kind == TokenKind::Name)
      v = variableNamed(name.text);
    if (!v)
      return errorAt(name,
                     "expected a variable after '(', found " + describe(name));
    if (isDependencyVariable(*v))
      return errorAt(name,
                     "the dependency " + describe(name) + " takes no constant");
    ++pos;
    if (!isSymbol("+") && !isSymbol("-"))
      return errorAt(peek(), "expected '+' or '-', found " + describe(peek()));
    Result<int64_t> constant = parseSignedInteger();
    if (!constant)
      return constant.takeError();
    if (Status s = expect(")", "')'"); !s)
      return s.takeError();
    return RuleFactor{*v, int32_t(*constant)};
  }

  std::vector<Token> tokens;
  size_t pos = 0;
  bool seen[kLearningTargetCount] = {};
};

std::string printFactor(const RuleFactor &f) {
  if (f.variable == LearningVariable::C)
    return std::to_string(f.constant);
  const std::string name = learningVariableName(f.variable);
  if (f.constant == 0)
    return name;
  const int64_t magnitude =
      f.constant < 0 ? -int64_t(f.constant) : int64_t(f.constant);
  return "(" + name + (f.constant < 0 ? " - " : " + ") +
         std::to_string(magnitude) + ")";
}

/// A term without its sign, as a user writes it: scale, factors, then the
/// dependency ("5 * 2^-6 * y1 * x0").
std::string printTermMagnitude(const RuleTerm &term) {
  std::string out;
  const auto item = [&out](const std::string &text) {
    out += (out.empty() ? "" : " * ") + text;
  };
  const int64_t magnitude =
      term.mantissa < 0 ? -int64_t(term.mantissa) : int64_t(term.mantissa);
  // A leading integer is read back as the mantissa, so a mantissa of 1 is
  // written when a constant factor would otherwise come first.
  const bool constantFirst =
      term.exponent == 0 && !term.factors.empty() &&
      term.factors.front().variable == LearningVariable::C;
  if (magnitude != 1 || constantFirst)
    item(std::to_string(magnitude));
  if (term.exponent != 0)
    item("2^" + std::to_string(term.exponent));
  for (const RuleFactor &f : term.factors)
    item(printFactor(f));
  item(learningVariableName(term.dependency));
  return out;
}

} // namespace

Result<LearningRule> parseLearningRule(const std::string &text) {
  Result<std::vector<Token>> tokens = tokenize(text);
  if (!tokens)
    return tokens.takeError();
  return Parser(std::move(*tokens)).parseRule();
}

std::string printLearningRule(const LearningRule &rule) {
  std::string out;
  for (unsigned k = 0; k < kLearningTargetCount; ++k) {
    const auto target = static_cast<LearningTarget>(k);
    if (rule.of(target).empty())
      continue;
    out += (out.empty() ? "" : "; ") + std::string(learningTargetName(target)) +
           " =";
    bool first = true;
    for (const RuleTerm &term : rule.of(target)) {
      const bool negative = term.mantissa < 0;
      if (first)
        out += negative ? " -" : " ";
      else
        out += negative ? " - " : " + ";
      out += printTermMagnitude(term);
      first = false;
    }
  }
  return out;
}

} // namespace cajal::chip
