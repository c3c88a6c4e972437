/** k6's Response over squall's HttpResponse: the same fields plus cookies, remote_ip, html(). */
import type { HttpResponse, HttpTimings } from '../http/client.js';
import { parseHTML, type Selection } from './html.js';
import { clickLink, submitForm, type ClickLinkOptions, type SubmitFormOptions } from './navigate.js';

/** One response cookie, as k6 reports it. */
export interface ResponseCookie {
  readonly name: string;
  readonly value: string;
  readonly domain: string;
  readonly path: string;
  readonly http_only: boolean;
  readonly secure: boolean;
  readonly max_age: number;
  readonly expires: number;
}

/** The request as sent, with its cookies (k6 `res.request`). */
export interface K6Request {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string[]>;
  readonly body: string;
  readonly cookies: Record<string, { name: string; value: string; replace: boolean }[]>;
}

function parseSetCookie(text: string): ResponseCookie {
  const [pair = '', ...attrs] = text.split(';');
  const eq = pair.indexOf('=');
  const cookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), domain: '', path: '', http_only: false, secure: false, max_age: 0, expires: 0 };
  for (const a of attrs) {
    const i = a.indexOf('=');
    const key = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
    const val = i < 0 ? '' : a.slice(i + 1).trim();
    if (key === 'domain') cookie.domain = val;
    else if (key === 'path') cookie.path = val;
    else if (key === 'httponly') cookie.http_only = true;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'max-age') cookie.max_age = Number(val) || 0;
    else if (key === 'expires') cookie.expires = Date.parse(val) || 0;
  }
  return cookie;
}

export class K6Response {
  readonly #r: HttpResponse;
  readonly #cookies: Map<string, string>;
  readonly remote_ip: string;
  readonly remote_port: number;
  #html: Selection | undefined;

  constructor(r: HttpResponse, sentCookies: Map<string, string>, remoteIp: string, remotePort: number) {
    this.#r = r;
    this.#cookies = sentCookies;
    this.remote_ip = remoteIp;
    this.remote_port = remotePort;
  }
  get status(): number {
    return this.#r.status;
  }
  get status_text(): string {
    return this.#r.status === 0 ? '' : `${this.#r.status} ${this.#r.statusText}`;
  }
  get body(): string | ArrayBuffer | null {
    return this.#r.body;
  }
  get headers(): Record<string, string> {
    return this.#r.headers;
  }
  get timings(): HttpTimings {
    return this.#r.timings;
  }
  get url(): string {
    return this.#r.url;
  }
  get proto(): string {
    return this.#r.proto;
  }
  get error(): string {
    return this.#r.error;
  }
  get error_code(): number {
    return this.#r.error_code;
  }
  /** Cookies the response set: name -> list. */
  get cookies(): Record<string, ResponseCookie[]> {
    const out: Record<string, ResponseCookie[]> = {};
    for (const text of this.#r.headerValues('set-cookie')) {
      const c = parseSetCookie(text);
      (out[c.name] ??= []).push(c);
    }
    return out;
  }
  get request(): K6Request {
    const sent = this.#r.request;
    const cookies: K6Request['cookies'] = {};
    for (const [name, value] of this.#cookies) cookies[name] = [{ name, value, replace: false }];
    return { ...sent, cookies };
  }
  /** The body as JSON; with a selector (`a.b.0`, `#` for a length) that part of it. */
  json(selector?: string): unknown {
    return this.#r.json(selector);
  }
  /** The body as an HTML document; with a selector, `doc.find(selector)`. */
  html(selector?: string): Selection {
    if (this.#html === undefined) {
      const body = this.#r.body;
      if (typeof body !== 'string') throw new TypeError(`res.html(): the response from ${this.url} has no text body`);
      this.#html = parseHTML(body);
    }
    return selector === undefined ? this.#html : this.#html.find(selector);
  }
  /** k6 `res.submitForm({ formSelector, fields, submitSelector, params })`: sends the page's form. */
  submitForm(opts?: SubmitFormOptions): Promise<K6Response> {
    return submitForm(this, opts);
  }
  /** k6 `res.clickLink({ selector, params })`: follows the page's link. */
  clickLink(opts?: ClickLinkOptions): Promise<K6Response> {
    return clickLink(this, opts);
  }
  toJSON(): Record<string, unknown> {
    return { ...this.#r.toJSON(), remote_ip: this.remote_ip, remote_port: this.remote_port, cookies: this.cookies };
  }
}
