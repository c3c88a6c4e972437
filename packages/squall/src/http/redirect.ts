import { rawText, type RawHeader } from './raw-headers.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The `Location` of a redirect response, or undefined when `status` is not a redirect or has none. */
export function redirectLocation(status: number, rawHeaders: readonly RawHeader[] | null): string | undefined {
  if (!REDIRECT_STATUSES.has(status) || rawHeaders === null) return undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as RawHeader;
    if (name.length === 8 && rawText(name).toLowerCase() === 'location') {
      return rawText(rawHeaders[i + 1] as RawHeader);
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
