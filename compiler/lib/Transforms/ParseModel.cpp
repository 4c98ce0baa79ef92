//===- ParseModel.cpp - Parse an MLIR model, nesting bounded first --------===//
//
// MLIR's parser, verifier and printer recurse once per level of nesting
// (regions, attribute lists, dictionaries, parenthesised and angle-bracket
// types), so an input nested thousands of levels deep overflows the stack.
// Before the parser sees the buffer, one linear scan counts the open
// brackets { [ ( < outside string literals and comments (`->` is not a
// closing bracket) and refuses the input at the first bracket deeper than
// kMaxModelNesting, with the file, line and column.
//
//===----------------------------------------------------------------------===//
#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

namespace {

/// Offset of the first bracket nested deeper than `limit`, or npos.
size_t tooDeep(llvm::StringRef text, unsigned limit) {
  unsigned depth = 0, angles = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') { // a string literal, with backslash escapes
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == llvm::StringRef::npos)
        break;
      continue;
    }
    if (c == '{' || c == '[' || c == '(' || c == '<') {
      angles += c == '<';
      if (++depth > limit)
        return i;
    } else if (c == '}' || c == ']' || c == ')') {
      depth -= depth > 0;
    } else if (c == '>' && angles > 0 && (i == 0 || text[i - 1] != '-')) {
      --angles;
      depth -= depth > 0;
    }
  }
  return llvm::StringRef::npos;
}

} // namespace

OwningOpRef<ModuleOp> cajal::parseModel(llvm::SourceMgr &sourceMgr,
                                        MLIRContext &context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  const size_t at = tooDeep(buffer->getBuffer(), kMaxModelNesting);
  if (at != llvm::StringRef::npos) {
    const llvm::SMLoc loc =
        llvm::SMLoc::getFromPointer(buffer->getBufferStart() + at);
    const auto [line, column] = sourceMgr.getLineAndColumn(loc);
    emitError(FileLineColLoc::get(&context, buffer->getBufferIdentifier(), line,
                                  column))
        << "nesting deeper than " << kMaxModelNesting
        << " levels of brackets; a model is never nested so deep (the parser "
           "would run out of stack)";
    return nullptr;
  }
  return parseSourceFile<ModuleOp>(sourceMgr, &context);
}
