/**
 * Rewrites a k6 module so its blocking code runs on squall's async engine: blocking functions
 * become `async`, their blocking calls are awaited, `xs.forEach(blockingFn)` (and map, filter...)
 * run their callback sequentially through `__squallK6.each`, and the global `open` resolves paths
 * against the file that calls it. Keeps a source map to the user's original lines.
 */
import { dirname } from 'node:path';
import remapping from '@jridgewell/remapping';
import MagicString from 'magic-string';
import { describeCallee, type FileAnalysis, type Node } from './k6-analysis.js';

/** Transformed code with an inline source map back to `file`'s original text. */
export interface TransformResult {
  readonly code: string;
}

/** Where `async` goes for a function: before `function`/the arrow's params, or before a method's key. */
function asyncPosition(fn: Node, parent: Node | undefined, code: string): number {
  if (parent && (parent.type === 'MethodDefinition' || (parent.type === 'Property' && (parent.method || parent.kind !== 'init')))) {
    if (!parent.computed) return parent.key.start as number;
    return code.lastIndexOf('[', parent.key.start);
  }
  return fn.start as number;
}

/**
 * Applies `analysis` to `code` (the JS that was analysed). `inputMap` is the map from `code` to
 * the user's file when `code` itself was produced from it (TypeScript); the result maps to the
 * user's file either way.
 */
export function transformK6Module(
  code: string,
  file: string,
  analysis: FileAnalysis,
  inputMap: string | undefined,
): TransformResult {
  const s = new MagicString(code);
  for (const fn of analysis.asyncFunctions) s.appendLeft(asyncPosition(fn, analysis.parents.get(fn), code), 'async ');
  const calls = [...analysis.awaitCalls].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const c of calls) {
    if (analysis.eachCalls.has(c)) {
      const method = c.callee.computed ? c.callee.property.value : c.callee.property.name;
      s.appendLeft(c.start, `(await __squallK6.each(${JSON.stringify(method)}, `);
      s.overwrite(c.callee.object.end, c.arguments[0].start, ', ', { contentOnly: true });
      s.prependRight(c.end, ')');
    } else {
      s.appendLeft(c.start, '(await ');
      s.prependRight(c.end, ')');
    }
  }
  const dir = JSON.stringify(dirname(file));
  for (const id of analysis.openRefs) s.overwrite(id.start, id.end, `__squallK6.open(${dir})`);
  const map = s.generateMap({ source: file, includeContent: true, hires: 'boundary' });
  const ownMap = JSON.stringify(map);
  const finalMap = inputMap === undefined ? ownMap : JSON.stringify(remapping([ownMap, inputMap], () => null));
  return { code: `${s.toString()}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(finalMap).toString('base64')}\n` };
}

export { describeCallee };
