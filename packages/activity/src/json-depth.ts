/**
 * Deepest JSON nesting a request body (or one NDJSON line) may have. JSON.parse itself copes with
 * millions of levels, but re-serialising or walking such a value overflows the stack (Node 20
 * fails at a few thousand levels): without this limit a 4 MB body of `[` answered 500 "Maximum
 * call stack size exceeded". Audit events nest a few dozen levels at most.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * Why `text` nests deeper than `maxDepth` (the 0-based offset of the first bracket too deep), or
 * undefined. One pass over the text, skipping strings; allocates nothing. Call it before
 * JSON.parse, so a hostile body costs a scan, not a parse.
 */
export function jsonDepthProblem(text: string, maxDepth = MAX_JSON_DEPTH): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return `JSON nested deeper than ${maxDepth} levels (at offset ${i}); flatten the document`;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}
