/**
 * The k6 cookie jar over tough-cookie: one per VU (reset every iteration), or made with
 * `new http.CookieJar()` and passed as `params.jar`.
 */
import { CookieJar } from 'tough-cookie';

/** Options of `jar.set(url, name, value, options)`, named as in k6. */
export interface CookieOptions {
  readonly domain?: string;
  readonly path?: string;
  readonly expires?: string;
  readonly max_age?: number;
  readonly secure?: boolean;
  readonly http_only?: boolean;
}

export class K6CookieJar {
  readonly #jar = new CookieJar(undefined, { looseMode: true, rejectPublicSuffixes: false, allowSpecialUseDomain: true });
  /** False until a cookie was stored: requests then skip the lookup. */
  #used = false;

  /** `{ name: [value, ...] }` of the cookies that would be sent to `url`. */
  cookiesForURL(url: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (!this.#used) return out;
    for (const c of this.#jar.getCookiesSync(String(url))) (out[c.key] ??= []).push(c.value);
    return out;
  }

  /** Stores a cookie for `url` (k6: domain, path, expires, max_age, secure, http_only). */
  set(url: string, name: string, value: string, options: CookieOptions = {}): void {
    let text = `${name}=${value}`;
    if (options.domain) text += `; Domain=${options.domain}`;
    if (options.path) text += `; Path=${options.path}`;
    if (options.expires) text += `; Expires=${options.expires}`;
    if (options.max_age !== undefined) text += `; Max-Age=${options.max_age}`;
    if (options.secure) text += '; Secure';
    if (options.http_only) text += '; HttpOnly';
    this.#jar.setCookieSync(text, String(url), { ignoreError: true });
    this.#used = true;
  }

  /** Removes every cookie the jar would send to `url`. */
  clear(url: string): void {
    if (!this.#used) return;
    for (const c of this.#jar.getCookiesSync(String(url))) this.#expire(url, c.key, c.path ?? '/', c.domain ?? undefined, c.hostOnly);
  }

  /** Removes cookie `name` for `url`. */
  delete(url: string, name: string): void {
    if (!this.#used) return;
    for (const c of this.#jar.getCookiesSync(String(url))) if (c.key === name) this.#expire(url, name, c.path ?? '/', c.domain ?? undefined, c.hostOnly);
  }

  #expire(url: string, name: string, path: string, domain: string | undefined, hostOnly: boolean | null): void {
    const d = domain !== undefined && !hostOnly ? `; Domain=${domain}` : '';
    this.#jar.setCookieSync(`${name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=${path}${d}`, String(url), { ignoreError: true });
  }

  /** The `Cookie` header value for `url`, or '' (internal). */
  headerFor(url: string): string {
    return this.#used ? this.#jar.getCookieStringSync(url) : '';
  }

  /** Whether any cookie was ever stored (internal: requests skip the jar until then). */
  get used(): boolean {
    return this.#used;
  }

  /** Cookie name -> value for `url` (internal). */
  pairsFor(url: string): Map<string, string> {
    const out = new Map<string, string>();
    if (this.#used) for (const c of this.#jar.getCookiesSync(url)) if (!out.has(c.key)) out.set(c.key, c.value);
    return out;
  }

  /** Stores the response's Set-Cookie fields (internal). */
  store(url: string, setCookies: readonly string[]): void {
    for (const text of setCookies) this.#jar.setCookieSync(text, url, { ignoreError: true });
    if (setCookies.length > 0) this.#used = true;
  }
}
