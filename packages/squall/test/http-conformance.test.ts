/**
 * RFC 9112 (sections 2-7) message framing as the squall HTTP/1.1 client must enforce it, table
 * driven against a raw `net` server that writes each response byte for byte. Where the RFC leaves
 * the recipient a choice, undici's behaviour is the expected answer: every row is also run through
 * undici, and the test checks that undici agrees, or (rows with `undiciDiffers`) that it does not,
 * so each documented divergence stays true.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../src/http/client.js';
import { Collector } from '../src/metrics/collector.js';
import type { Tags } from '../src/metrics/types.js';

type Want = { status: number; body?: string; header?: [string, string] } | { error: RegExp };

interface Row {
  /** The RFC rule the row checks. */
  rule: string;
  /** The response bytes (latin1), or writes to make one by one. */
  wire: string | string[];
  want: Want;
  method?: string;
  /** End the connection after writing (a close-delimited body); otherwise it stays open. */
  close?: boolean;
  /** Why squall differs from undici here (the RFC decides, or undici fails for another reason). */
  undiciDiffers?: string;
}

const OK2 = 'Content-Length: 2\r\n\r\nok';
const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
const PARSE = /invalid HTTP response/;

const ROWS: Row[] = [
  // 4. Status line
  { rule: '4 status line', wire: `HTTP/1.1 200 OK\r\n${OK2}`, want: { status: 200, body: 'ok' } },
  { rule: '4 reason phrase may be empty', wire: `HTTP/1.1 200 \r\n${OK2}`, want: { status: 200, body: 'ok' } },
  { rule: '4 status line without reason or its SP (undici accepts)', wire: `HTTP/1.1 200\r\n${OK2}`, want: { status: 200, body: 'ok' } },
  { rule: '4 status code 000 is not a status', wire: `HTTP/1.1 000 Zero\r\n${OK2}`, want: { error: PARSE } },
  { rule: '4 status code below 100', wire: `HTTP/1.1 099 X\r\n${OK2}`, want: { error: PARSE } },
  { rule: '4 status code of 4 digits', wire: `HTTP/1.1 2000 X\r\n${OK2}`, want: { error: PARSE } },
  { rule: '4 unknown 3-digit status is kept (RFC 9110 15)', wire: `HTTP/1.1 600 X\r\n${OK2}`, want: { status: 600, body: 'ok' } },
  { rule: '2.3 HTTP-version is case-sensitive', wire: `http/1.1 200 OK\r\n${OK2}`, want: { error: PARSE } },
  { rule: '2.3 HTTP/1.2 is not 1.0 or 1.1 (undici rejects)', wire: `HTTP/1.2 200 OK\r\n${OK2}`, want: { error: PARSE } },
  { rule: '2.3 not HTTP at all', wire: 'SSH-2.0-OpenSSH_9.6\r\n', want: { error: PARSE } },
  // 2.2 Message parsing: line terminators, whitespace
  { rule: '2.2 bare LF inside a CRLF head (undici rejects)', wire: `HTTP/1.1 200 OK\r\nX-A: a\n${OK2}`, want: { error: PARSE } },
  { rule: '2.2 head of bare LF lines (undici rejects)', wire: 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok', want: { error: PARSE } },
  { rule: '2.2 bare LF after the status line', wire: `HTTP/1.1 200 OK\n${OK2}`, want: { error: PARSE } },
  { rule: '2.2 whitespace before the first header line', wire: `HTTP/1.1 200 OK\r\n X-A: a\r\n${OK2}`, want: { error: PARSE } },
  {
    rule: '2.2 bare CR replaced by SP',
    wire: `HTTP/1.1 200 OK\r\nX-A: a\rb\r\n${OK2}`,
    want: { status: 200, body: 'ok', header: ['X-A', 'a b'] },
    undiciDiffers: 'the RFC allows rejecting or replacing with SP; squall replaces, so that no per-byte scan runs on every head',
  },
  // 5. Field syntax
  { rule: '5.1 header line without colon', wire: `HTTP/1.1 200 OK\r\nNoColon\r\n${OK2}`, want: { error: PARSE } },
  { rule: '5.1 empty field name', wire: `HTTP/1.1 200 OK\r\n: v\r\n${OK2}`, want: { error: PARSE } },
  { rule: '5.1 whitespace between name and colon', wire: `HTTP/1.1 200 OK\r\nX-A : a\r\n${OK2}`, want: { error: PARSE } },
  { rule: '5.1 value trimmed of OWS', wire: `HTTP/1.1 200 OK\r\nX-A: \t a b \t\r\n${OK2}`, want: { status: 200, header: ['X-A', 'a b'] } },
  {
    rule: '5.2 obs-fold in a response replaced by SP',
    wire: `HTTP/1.1 200 OK\r\nX-A: a\r\n  b\r\n${OK2}`,
    want: { status: 200, body: 'ok', header: ['X-A', 'a b'] },
    undiciDiffers: 'RFC 9112 5.2: a user agent MUST replace obs-fold with SP; undici rejects it',
  },
  { rule: '5.2 obs-fold in Content-Length (undici rejects)', wire: 'HTTP/1.1 200 OK\r\nContent-Length:\r\n 2\r\n\r\nok', want: { error: PARSE } },
  { rule: '2.2 head longer than 64 KiB in one write', wire: `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}\r\n${OK2}`, want: { error: /head longer than/ } },
  {
    rule: '2.2 head longer than 64 KiB in many writes',
    wire: ['HTTP/1.1 200 OK\r\n', ...Array.from({ length: 70 }, (_, i) => `X-${i}: ${'a'.repeat(1000)}\r\n`), OK2],
    want: { error: /head longer than/ },
  },
  {
    rule: '2.2 head just under 64 KiB in many writes',
    wire: ['HTTP/1.1 200 OK\r\n', ...Array.from({ length: 60 }, (_, i) => `X-${i}: ${'a'.repeat(1000)}\r\n`), OK2],
    want: { status: 200, body: 'ok' },
    undiciDiffers: "undici's default maxHeaderSize is 16 KiB; squall's head limit is 64 KiB",
  },
  // 6. Message body length
  { rule: '6.3 Content-Length frames the body', wire: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', want: { status: 200, body: 'hello' } },
  { rule: '6.3 two different Content-Length values', wire: `HTTP/1.1 200 OK\r\nContent-Length: 3\r\n${OK2}`, want: { error: /two different content-length/ } },
  { rule: '6.3 Content-Length repeated with the same value (undici rejects)', wire: `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${OK2}`, want: { error: PARSE } },
  { rule: '6.3 Content-Length list "2, 2" (undici rejects)', wire: 'HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok', want: { error: PARSE } },
  { rule: '6.3 Content-Length with a sign', wire: 'HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok', want: { error: PARSE } },
  { rule: '6.3 Content-Length not a number', wire: 'HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\nok', want: { error: PARSE } },
  { rule: '6.3 Transfer-Encoding with Content-Length (undici rejects)', wire: `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${CHUNKED.slice(17)}2\r\nok\r\n0\r\n\r\n`, want: { error: PARSE } },
  { rule: '6.3 no framing: body until close', wire: 'HTTP/1.1 200 OK\r\n\r\nuntil close', close: true, want: { status: 200, body: 'until close' } },
  {
    rule: '6.3 chunked not the final coding: body until close',
    wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, identity\r\n\r\nraw',
    close: true,
    want: { status: 200, body: 'raw' },
  },
  { rule: '6.3 cut short before Content-Length bytes', wire: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', close: true, want: { error: /./ } },
  { rule: '6.3 HEAD response has no body', method: 'HEAD', wire: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', want: { status: 200, body: '' } },
  {
    rule: '6.3 204 has no body whatever its Content-Length',
    wire: 'HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n',
    want: { status: 204, body: '' },
    undiciDiffers: 'RFC 9112 6.3 rule 1: a 204 ends at its head; undici compares the body to Content-Length and fails',
  },
  { rule: '6.3 304 has no body', wire: 'HTTP/1.1 304 Not Modified\r\n\r\n', want: { status: 304, body: '' } },
  { rule: '6.3 1xx interim responses are skipped', wire: `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\n${OK2}`, want: { status: 201, body: 'ok' }, undiciDiffers: 'RFC 9110 15.2: a client MUST parse 1xx responses before the final one; undici request() fails ("bad response")' },
  // 7. Chunked transfer coding
  { rule: '7.1 chunked body', wire: `${CHUNKED}5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`, want: { status: 200, body: 'hello world' } },
  { rule: '7.1 upper-case hex size', wire: `${CHUNKED}A\r\n0123456789\r\n0\r\n\r\n`, want: { status: 200, body: '0123456789' } },
  { rule: '7.1 chunk size that overflows', wire: `${CHUNKED}ffffffffffffffffffff\r\nok\r\n0\r\n\r\n`, want: { error: /chunk size overflows/ } },
  { rule: '7.1 chunk size not hex', wire: `${CHUNKED}zz\r\nok\r\n0\r\n\r\n`, want: { error: /bad chunk size/ } },
  { rule: '7.1 chunk size with a sign', wire: `${CHUNKED}-2\r\nok\r\n0\r\n\r\n`, want: { error: /bad chunk size/ } },
  { rule: '7.1 chunk data not followed by CRLF', wire: `${CHUNKED}2\r\nokXX0\r\n\r\n`, want: { error: /chunk data not followed by CRLF/ } },
  { rule: '7.1 bare LF after a chunk size', wire: `${CHUNKED}2\nok\r\n0\r\n\r\n`, want: { error: PARSE } },
  { rule: '7.1.1 chunk extensions ignored', wire: `${CHUNKED}2;a=b;c="d e"\r\nok\r\n0;last\r\n\r\n`, want: { status: 200, body: 'ok' } },
  {
    rule: '7.1.1 BWS before a chunk extension',
    wire: `${CHUNKED}2 ;a=b\r\nok\r\n0\r\n\r\n`,
    want: { status: 200, body: 'ok' },
    undiciDiffers: 'chunk-ext allows BWS before ";" (RFC 9112 7.1.1, RFC 9110 5.6.3: recipients MUST accept it); undici rejects',
  },
  {
    rule: '7.1 chunk-size line that never ends is bounded',
    wire: [`${CHUNKED}1;`, ...Array.from({ length: 64 }, () => 'x'.repeat(1024))],
    want: { error: /chunk size line longer than/ },
  },
  { rule: '7.1.2 trailer fields skipped', wire: `${CHUNKED}2\r\nok\r\n0\r\nX-T: 1\r\nX-U: 2\r\n\r\n`, want: { status: 200, body: 'ok' } },
  { rule: '7.1.2 trailer line without colon', wire: `${CHUNKED}2\r\nok\r\n0\r\nbad\r\n\r\n`, want: { error: PARSE } },
  { rule: '7.1.2 trailer section bounded', wire: [`${CHUNKED}2\r\nok\r\n0\r\n`, ...Array.from({ length: 70 }, (_, i) => `X-${i}: ${'a'.repeat(1000)}\r\n`), '\r\n'], want: { error: /trailer section longer than/ } },
  { rule: '6.1 chunked in an HTTP/1.0 response (undici reads it)', wire: 'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n', want: { status: 200, body: 'ok' } },
];

let server: Server;
let base = '';
let current: Row | undefined;
const serverSockets: Socket[] = [];
const context = { tags: { scenario: 'default' } as Tags, startDelayMs: 0 };
let http: HttpClient;

beforeAll(async () => {
  server = createServer((socket) => {
    serverSockets.push(socket);
    socket.on('error', () => {});
    socket.setNoDelay(true);
    socket.once('data', async () => {
      const row = current;
      if (row === undefined) return;
      const writes = typeof row.wire === 'string' ? [row.wire] : row.wire;
      for (const w of writes) {
        if (socket.destroyed) return;
        socket.write(Buffer.from(w, 'latin1'));
        // Separate reads on the client as far as the loopback allows.
        await new Promise((r) => setTimeout(r, 1));
      }
      if (row.close === true) socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of serverSockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function newClient(): HttpClient {
  return createHttpClient({
    sink: new Collector(),
    options: {
      userAgent: 'squall-test/1',
      maxRedirects: 0,
      // Long enough that a client waiting for more bytes fails the test by vitest's timeout.
      httpTimeoutMs: 60_000,
      expectedStatuses: [{ min: 200, max: 399 }],
      discardResponseBodies: false,
      noConnectionReuse: true,
      insecureSkipTLSVerify: false,
      batch: 20,
      batchPerHost: 6,
      tags: {},
    },
    context: () => context,
  });
}

type Outcome = { ok: true; status: number; body: string; headers: Record<string, string> } | { ok: false; error: string };

async function viaSquall(row: Row): Promise<Outcome> {
  const res = await http.request(row.method ?? 'GET', `${base}/`);
  if (res.error !== '') return { ok: false, error: res.error };
  return { ok: true, status: res.status, body: String(res.body ?? ''), headers: res.headers as Record<string, string> };
}

async function viaUndici(row: Row): Promise<Outcome> {
  try {
    const res = await undiciRequest(`${base}/`, { method: row.method ?? 'GET', headersTimeout: 1000, bodyTimeout: 1000, reset: true });
    const body = await res.body.text();
    return { ok: true, status: res.statusCode, body, headers: {} };
  } catch (e) {
    return { ok: false, error: String((e as Error).message) };
  }
}

describe('HTTP/1.1 client conformance (RFC 9112 sections 2-7)', () => {
  beforeAll(() => {
    http = newClient();
  });
  afterAll(() => http.close());

  it.each(ROWS.map((r) => [r.rule, r] as const))('%s', async (_rule, row) => {
    current = row;
    const got = await viaSquall(row);
    if ('error' in row.want) {
      expect(got.ok, `squall accepted: ${JSON.stringify(got)}`).toBe(false);
      if (!got.ok) {
        expect(got.error).toMatch(row.want.error);
        expect(got.error).not.toMatch(/timeout/i);
      }
    } else {
      expect(got.ok ? '' : got.error).toBe('');
      if (got.ok) {
        expect(got.status).toBe(row.want.status);
        if (row.want.body !== undefined) expect(got.body).toBe(row.want.body);
        if (row.want.header !== undefined) expect(got.headers[row.want.header[0]]).toBe(row.want.header[1]);
      }
    }
    const reference = await viaUndici(row);
    const squallOk = !('error' in row.want);
    if (row.undiciDiffers === undefined) expect(reference.ok, `undici: ${JSON.stringify(reference)}`).toBe(squallOk);
    else expect(reference.ok, `undici now agrees; drop undiciDiffers: ${row.undiciDiffers}`).toBe(!squallOk);
  });
});

describe('HTTP/1.1 client connection reuse (RFC 9112 9.3)', () => {
  it('reuses a keep-alive connection and opens a new one after a close-delimited body', async () => {
    const sockets: Socket[] = [];
    const srv = createServer((socket) => {
      sockets.push(socket);
      let n = 0;
      socket.on('data', () => {
        n++;
        if (n <= 2) socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n${n}`);
        else socket.end('HTTP/1.1 200 OK\r\n\r\nbye');
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
    const reuse = createHttpClient({
      sink: new Collector(),
      options: {
        userAgent: 't',
        maxRedirects: 0,
        httpTimeoutMs: 60_000,
        expectedStatuses: [{ min: 200, max: 399 }],
        discardResponseBodies: false,
        noConnectionReuse: false,
        insecureSkipTLSVerify: false,
        batch: 20,
        batchPerHost: 6,
        tags: {},
      },
      context: () => context,
    });
    try {
      const bodies: string[] = [];
      for (let i = 0; i < 4; i++) bodies.push(String((await reuse.get(url)).body));
      expect(bodies).toEqual(['1', '2', 'bye', '1']);
      expect(sockets.length).toBe(2);
    } finally {
      await reuse.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    }
  });
});
