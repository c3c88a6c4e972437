/**
 * A one-line description of an exception thrown by script code, with the first stack frame that
 * points into the user's script (source-mapped), so the same bug reads the same in every VU.
 */
export function errorText(err: unknown, sourcePath: string): { text: string; head: string; location: string | undefined } {
  if (!(err instanceof Error)) {
    const text = `thrown value: ${safeString(err)}`;
    return { text, head: text, location: undefined };
  }
  const location = scriptLocation(err.stack ?? '', sourcePath);
  const head = `${err.name}: ${err.message}`;
  return { text: location ? `${head} (at ${location})` : head, head, location };
}

function scriptLocation(stack: string, sourcePath: string): string | undefined {
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = (m[1] ?? '').replace(/^file:\/\//, '');
    if (file === sourcePath || file.endsWith(sourcePath)) return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

function safeString(v: unknown): string {
  try {
    return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
