/**
 * k6/http over squall's HTTP client: k6 bodies (forms, multipart), URL credentials and
 * basic/digest auth, the per-VU cookie jar, redirects followed here (so cookies set on a hop are
 * kept and sent on), `http.url` name tags, expectedStatuses and setResponseCallback.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ExpectedStatuses } from '../config/types.js';
import { runLimited } from '../http/batch.js';
import { normalizeBatchEntry, type BatchRequest } from '../http/batch.js';
import type { HttpResponse, RequestParams } from '../http/client.js';
import { redirectDropsBody } from '../http/redirect.js';
import { threadRuntime } from '../runtime/thread-runtime.js';
import { K6CookieJar } from './cookies.js';
import { digestAuthorization } from './digest.js';
import { encodeK6Body, FileData } from './form.js';
import { currentInstance } from './host.js';
import { K6Response } from './response.js';

type Headers = Record<string, string | number | readonly string[]>;
type CookieParam = string | { value: string; replace?: boolean };

/** k6's Params. */
export interface K6Params {
  readonly headers?: Headers;
  readonly tags?: Record<string, string>;
  readonly timeout?: number | string;
  readonly redirects?: number;
  readonly responseType?: 'text' | 'binary' | 'none';
  readonly expectedStatuses?: ExpectedStatuses;
  readonly auth?: string;
  readonly cookies?: Record<string, CookieParam>;
  readonly jar?: K6CookieJar;
  readonly compression?: string;
  readonly responseCallback?: ExpectedStatuses | null;
}

interface Target {
  readonly href: string;
  readonly user: string;
  readonly password: string;
  readonly hostname: string;
  readonly port: number;
  readonly pathQuery: string;
}

const ALL_STATUSES: ExpectedStatuses = [{ min: 100, max: 999 }];
const targets = new Map<string, Target>();
const remoteIps = new Map<string, string>();

function targetOf(url: string, where: string): Target {
  let t = targets.get(url);
  if (t !== undefined) return t;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(`${where}: the URL must be absolute (http:// or https://), but is '${url}'`);
  }
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  t = { href: user === '' ? url : u.href, user, password, hostname, port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80), pathQuery: u.pathname + u.search };
  if (targets.size > 10_000) targets.clear();
  targets.set(url, t);
  return t;
}

async function remoteIp(hostname: string): Promise<string> {
  let ip = remoteIps.get(hostname);
  if (ip === undefined) {
    ip = isIP(hostname) ? hostname : await lookup(hostname).then((r) => r.address, () => '');
    remoteIps.set(hostname, ip);
  }
  return ip;
}

/** `http.url\`...${id}\``: the URL, tagged `name` with the template's static parts. */
export class K6Url {
  constructor(
    readonly url: string,
    readonly name: string,
  ) {}
  toString(): string {
    return this.url;
  }
}

function urlString(url: unknown, where: string): { url: string; name: string | undefined } {
  if (typeof url === 'string') return { url, name: undefined };
  if (url instanceof K6Url) return { url: url.url, name: url.name };
  if (url instanceof URL) return { url: url.href, name: undefined };
  throw new TypeError(`${where}: the URL must be a string, but is ${url === null ? 'null' : typeof url}`);
}

const NO_COOKIES: Map<string, string> = new Map();

function cookieHeader(jar: K6CookieJar, url: string, given: K6Params['cookies'], sent: Map<string, string>): string {
  if (!jar.used && given === undefined) return '';
  const fromJar = jar.pairsFor(url);
  for (const [k, v] of fromJar) sent.set(k, v);
  if (given !== undefined) {
    for (const [name, c] of Object.entries(given)) {
      const value = typeof c === 'string' ? c : String(c.value);
      if (!fromJar.has(name) || (typeof c === 'object' && c.replace)) sent.set(name, value);
    }
  }
  let out = '';
  for (const [k, v] of sent) out += `${out === '' ? '' : '; '}${k}=${v}`;
  return out;
}

function maxRedirectsOf(params: K6Params | undefined): number {
  return params?.redirects ?? threadRuntime().options?.maxRedirects ?? 10;
}

function checkParams(params: K6Params | undefined, where: string): void {
  if (params === undefined || params === null) return;
  if (params.compression !== undefined) throw new TypeError(`${where}: params.compression is not supported by squall; compress the body yourself and set Content-Encoding`);
  if (params.auth !== undefined && params.auth !== 'basic' && params.auth !== 'digest') {
    throw new TypeError(`${where}: params.auth '${String(params.auth)}' is not supported by squall (only 'basic' and 'digest')`);
  }
}

/** Sends one k6 request, following redirects and answering a digest challenge. */
export async function k6Request(methodArg: string, urlArg: unknown, bodyArg: unknown, params: K6Params | undefined): Promise<K6Response> {
  const method = String(methodArg).toUpperCase();
  const where = `http ${method}`;
  checkParams(params, where);
  const rt = threadRuntime();
  const inst = currentInstance();
  let { url, name } = urlString(urlArg, where);
  let t = targetOf(url, where);
  const encoded = encodeK6Body(bodyArg);
  let body = encoded.body;
  let verb = method;
  const user = t.user;
  const password = t.password;
  const auth = params?.auth ?? (user !== '' ? 'basic' : undefined);
  const addsType = encoded.contentType !== undefined && !Object.keys(params?.headers ?? {}).some((k) => k.toLowerCase() === 'content-type');
  const addsAuth = auth === 'basic' && (user !== '' || password !== '');
  // The caller's headers are copied only when something is added (digest and redirects copy on write).
  let baseHeaders: Headers | undefined = !addsType && !addsAuth ? params?.headers : { ...params?.headers };
  if (addsType) baseHeaders!['Content-Type'] = encoded.contentType as string;
  if (addsAuth) baseHeaders!.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const jar = params?.jar ?? (inst.jar ??= new K6CookieJar());
  const maxRedirects = maxRedirectsOf(params);
  const tags = name === undefined || params?.tags?.name !== undefined ? params?.tags : { ...params?.tags, name };
  const expectedStatuses = params?.expectedStatuses ?? (params?.responseCallback === null ? ALL_STATUSES : params?.responseCallback) ?? inst.responseCallback;
  let digestTried = false;
  for (let hops = 0; ; ) {
    const sent = !jar.used && params?.cookies === undefined ? NO_COOKIES : new Map<string, string>();
    const cookie = cookieHeader(jar, t.href, params?.cookies, sent);
    const headers = cookie === '' ? baseHeaders : { ...baseHeaders, Cookie: cookie };
    const clientParams: RequestParams = {
      headers,
      tags,
      timeout: params?.timeout,
      redirects: 0,
      responseType: params?.responseType,
      expectedStatuses,
    };
    const ip = remoteIps.get(t.hostname) ?? (await remoteIp(t.hostname));
    const r: HttpResponse = await rt.http.request(verb, t.href, body as never, clientParams);
    const setCookies = r.status === 0 ? [] : r.headerValues('set-cookie');
    if (setCookies.length > 0) jar.store(t.href, setCookies);
    if (auth === 'digest' && r.status === 401 && !digestTried) {
      digestTried = true;
      const header = digestAuthorization(r.headerValues('www-authenticate'), user, password, verb, t.pathQuery);
      if (header !== undefined) {
        baseHeaders = { ...baseHeaders, Authorization: header };
        continue;
      }
    }
    const location = r.status >= 301 && r.status <= 308 && r.status !== 304 && r.status !== 305 && r.status !== 306 ? r.headerValues('location')[0] : undefined;
    if (location === undefined || hops >= maxRedirects) return new K6Response(r, sent, ip, t.port);
    hops++;
    if (redirectDropsBody(r.status, verb)) {
      if (verb !== 'HEAD') verb = 'GET';
      body = undefined;
      baseHeaders = Object.fromEntries(Object.entries(baseHeaders ?? {}).filter(([k]) => k.toLowerCase() !== 'content-type'));
    }
    url = new URL(location, t.href).href;
    t = targetOf(url, where);
  }
}

function batch(requests: unknown): Promise<K6Response[] | Record<string, K6Response>> {
  if (requests === null || typeof requests !== 'object') throw new TypeError('http.batch(): requests must be an array or an object');
  const keys = Array.isArray(requests) ? requests.map((_r, i) => String(i)) : Object.keys(requests);
  const source = requests as Record<string, BatchRequest | K6Url>;
  const entries = keys.map((key) => {
    const e = source[key];
    return e instanceof K6Url ? (['GET', e, undefined, undefined] as const) : normalizeBatchEntry(e as BatchRequest, key);
  });
  const hosts = entries.map(([, url]) => targetOf(urlString(url, 'http.batch()').url, 'http.batch()').hostname);
  const options = threadRuntime().options;
  return runLimited(
    entries.length,
    (i) => hosts[i] as string,
    (i) => {
      const [method, url, body, params] = entries[i] as readonly [string, unknown, unknown, unknown];
      return k6Request(method, url, body, params as K6Params | undefined);
    },
    options?.batch ?? 20,
    options?.batchPerHost ?? 6,
  ).then((responses) => {
    if (Array.isArray(requests)) return responses;
    const out: Record<string, K6Response> = {};
    keys.forEach((k, i) => (out[k] = responses[i] as K6Response));
    return out;
  });
}

/** `http.expectedStatuses(200, { min: 300, max: 399 })`: a response callback for `setResponseCallback` / params. */
export function expectedStatuses(...statuses: (number | { min: number; max: number })[]): ExpectedStatuses {
  for (const s of statuses) {
    const ok = typeof s === 'number' ? Number.isInteger(s) : typeof s?.min === 'number' && typeof s.max === 'number';
    if (!ok) throw new TypeError(`http.expectedStatuses(): each argument must be a status or { min, max }, but one is ${JSON.stringify(s)}`);
  }
  return Object.freeze([...statuses]);
}

function setResponseCallback(cb: ExpectedStatuses | null): void {
  if (cb === null) {
    currentInstance().responseCallback = ALL_STATUSES;
    return;
  }
  if (!Array.isArray(cb)) throw new TypeError('http.setResponseCallback() takes the result of http.expectedStatuses(...) (or null); squall cannot run arbitrary response callbacks');
  currentInstance().responseCallback = cb;
}

function url(strings: TemplateStringsArray, ...values: unknown[]): K6Url {
  let full = strings[0] ?? '';
  let name = strings[0] ?? '';
  values.forEach((v, i) => {
    full += String(v) + (strings[i + 1] ?? '');
    name += '${}' + (strings[i + 1] ?? '');
  });
  return new K6Url(full, name);
}

const noBody = (method: string) => (u: unknown, params?: K6Params) => k6Request(method, u, undefined, params);
const withBody = (method: string) => (u: unknown, body?: unknown, params?: K6Params) => k6Request(method, u, body, params);

/** The k6/http module (default export and named exports alike). */
export const httpModule = {
  get: noBody('GET'),
  head: noBody('HEAD'),
  options: withBody('OPTIONS'),
  post: withBody('POST'),
  put: withBody('PUT'),
  patch: withBody('PATCH'),
  del: withBody('DELETE'),
  request: (method: string, u: unknown, body?: unknown, params?: K6Params) => k6Request(method, u, body, params),
  asyncRequest: (method: string, u: unknown, body?: unknown, params?: K6Params) => k6Request(method, u, body, params),
  batch,
  cookieJar: (): K6CookieJar => (currentInstance().jar ??= new K6CookieJar()),
  CookieJar: K6CookieJar,
  expectedStatuses,
  setResponseCallback,
  file: (data: string | ArrayBuffer | Uint8Array, filename?: string, contentType = 'application/octet-stream') => new FileData(data, filename, contentType),
  url,
  TLS_1_0: 'tls1.0',
  TLS_1_1: 'tls1.1',
  TLS_1_2: 'tls1.2',
  TLS_1_3: 'tls1.3',
  OCSP_STATUS_GOOD: 'good',
};
