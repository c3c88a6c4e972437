import { describe, expect, it } from 'vitest';
import { runLimited } from './batch.js';
import { errorCodeFor } from './error-codes.js';
import { StatusMatcher } from './expected-statuses.js';
import { appendQuery, encodeBody, parseTimeoutMs } from './params.js';
import { canonicalHeaderName } from './response.js';

describe('parseTimeoutMs', () => {
  it.each([
    [250, 250],
    ['250', 250],
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['500ms', 500],
    ['1h', 3_600_000],
  ])('%s -> %s ms', (input, expected) => {
    expect(parseTimeoutMs(input, 'test')).toBe(expected);
  });

  it.each([0, -1, Number.NaN, '', 'ten', '10x', '5s junk'])('rejects %s', (input) => {
    expect(() => parseTimeoutMs(input, 'params')).toThrow(/params: timeout must be/);
  });
});

describe('appendQuery', () => {
  it.each([
    ['http://h/p', { a: 1 }, 'http://h/p?a=1'],
    ['http://h/p?x=1', { a: 'b c', d: [1, 2] }, 'http://h/p?x=1&a=b%20c&d=1&d=2'],
    ['http://h/p#frag', { a: true }, 'http://h/p?a=true'],
    ['http://h/p', {}, 'http://h/p'],
  ] as const)('%s + %j', (url, query, expected) => {
    expect(appendQuery(url, query)).toBe(expected);
  });
});

describe('encodeBody', () => {
  it('encodes strings, bytes and JSON objects', () => {
    expect(encodeBody('é', 'x').bytes?.length).toBe(2);
    expect(encodeBody(new Uint8Array([1, 2, 3]).subarray(1), 'x').bytes).toEqual(Buffer.from([2, 3]));
    expect(encodeBody(new ArrayBuffer(4), 'x').bytes?.length).toBe(4);
    expect(encodeBody({ a: 1 }, 'x')).toEqual({ bytes: Buffer.from('{"a":1}'), impliedContentType: 'application/json' });
    expect(encodeBody(undefined, 'x').bytes).toBeNull();
    expect(() => encodeBody(new Map() as never, 'http POST')).toThrow(/http POST: body must be .* but is an object \(Map\)/);
  });
});

describe('errorCodeFor', () => {
  const withCode = (code: string, cause?: unknown) => Object.assign(new Error(code), { code, cause });
  it.each([
    [withCode('ECONNREFUSED'), 1212],
    [withCode('UND_ERR_CONNECT_TIMEOUT'), 1211],
    [withCode('UND_ERR_SOCKET', withCode('ECONNRESET')), 1220],
    [withCode('UND_ERR_SOCKET'), 1200],
    [withCode('EPIPE'), 1201],
    [withCode('ENOTFOUND'), 1101],
    [withCode('SQUALL_HTTP_TIMEOUT'), 1050],
    [withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 1310],
    [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 1311],
    [withCode('ERR_SSL_SOMETHING'), 1300],
    [new Error('what'), 1000],
    ['not an error', 1000],
  ])('%s -> %s', (error, code) => {
    expect(errorCodeFor(error)).toBe(code);
  });
});

describe('StatusMatcher', () => {
  it('matches numbers and ranges, never 0, and rejects bad entries', () => {
    const m = new StatusMatcher([204, { min: 300, max: 302 }], 'options.expectedStatuses');
    expect([200, 204, 299, 300, 302, 303, 0].map((s) => m.expects(s))).toEqual([false, true, false, true, true, false, false]);
    expect(() => new StatusMatcher([99], 'options.expectedStatuses')).toThrow(/from 100 to 999, but is 99/);
  });
});

describe('canonicalHeaderName', () => {
  it.each([
    ['content-type', 'Content-Type'],
    ['X-REQUEST-ID', 'X-Request-Id'],
    ['etag', 'Etag'],
  ])('%s -> %s', (input, expected) => expect(canonicalHeaderName(input)).toBe(expected));
});

describe('runLimited', () => {
  it('keeps order and never exceeds the overall or per-host limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const perHost = new Map<string, number>();
    let hostPeak = 0;
    const hosts = ['a', 'a', 'a', 'b', 'a', 'b', 'b', 'a'];
    const out = await runLimited(
      hosts.length,
      (i) => hosts[i] as string,
      async (i) => {
        const host = hosts[i] as string;
        inFlight++;
        perHost.set(host, (perHost.get(host) ?? 0) + 1);
        peak = Math.max(peak, inFlight);
        hostPeak = Math.max(hostPeak, perHost.get(host) ?? 0);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        perHost.set(host, (perHost.get(host) ?? 1) - 1);
        return i * 10;
      },
      3,
      2,
    );
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
    expect(hostPeak).toBe(2);
  });

  it('rejects with the first task error', async () => {
    await expect(
      runLimited(3, () => 'h', async (i) => {
        if (i === 1) throw new Error('boom');
        return i;
      }, 0, 0),
    ).rejects.toThrow('boom');
  });
});
