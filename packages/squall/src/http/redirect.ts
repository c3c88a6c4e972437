const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The `Location` of a redirect response, or undefined when `status` is not a redirect or has none. */
export function redirectLocation(status: number, rawHeaders: readonly Buffer[] | null): string | undefined {
  if (!REDIRECT_STATUSES.has(status) || rawHeaders === null) return undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as Buffer;
    if (name.length === 8 && name.toString('latin1').toLowerCase() === 'location') {
      return (rawHeaders[i + 1] as Buffer).toString('latin1');
    }
  }
  return undefined;
}

/**
 * Whether following this redirect turns the request into a body-less GET (HEAD stays HEAD): 303
 * always, 301/302 for methods other than GET/HEAD. 307/308 repeat method and body. Go's rule, so
 * k6's behaviour.
 */
export function redirectDropsBody(status: number, method: string): boolean {
  return status === 303 || ((status === 301 || status === 302) && method !== 'GET' && method !== 'HEAD');
}

/** `headers` (flat [name, value, ...], lower-case names) without `lowerName`. */
export function dropHeader(headers: readonly string[], lowerName: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (headers[i] !== lowerName) out.push(headers[i] as string, headers[i + 1] as string);
  }
  return out;
}
