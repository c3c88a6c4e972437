import { SquallError } from '../errors.js';

/**
 * setup()'s result as every VU and teardown() will see it: a JSON copy. A value JSON cannot carry
 * (a BigInt, a cycle, a function or symbol as the whole result) is a script error naming setup()
 * and what it returned, not an internal error.
 */
export function setupDataCopy(value: unknown, sourcePath: string): unknown {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new SquallError('SQUALL_SCRIPT_EXCEPTION', `${sourcePath}: setup() returned a value that cannot be passed to VUs (${why}); return plain JSON data: objects, arrays, strings, numbers, booleans, null`);
  }
  if (text === undefined) {
    throw new SquallError('SQUALL_SCRIPT_EXCEPTION', `${sourcePath}: setup() returned a ${typeof value}, which cannot be passed to VUs; return plain JSON data: objects, arrays, strings, numbers, booleans, null`);
  }
  return JSON.parse(text);
}
