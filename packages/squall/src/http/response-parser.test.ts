import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseParseError, ResponseParser, type ResponseSink } from './response-parser.js';

interface Parsed {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
  ended: boolean;
  keepAlive: boolean;
}

function parse(wire: string, method = 'GET', splitAt: number[] = []): { parsed: Parsed; parser: ResponseParser } {
  const parsed: Parsed = { status: 0, statusText: '', headers: [], body: '', ended: false, keepAlive: false };
  const sink: ResponseSink = {
    onHead(status, statusText, head, keepAlive) {
      const raw = head.fields();
      parsed.status = status;
      parsed.statusText = statusText;
      parsed.keepAlive = keepAlive;
      for (let i = 0; i < raw.length; i += 2) parsed.headers.push([String(raw[i]), String(raw[i + 1])]);
    },
    onBody(chunk) {
      parsed.body += chunk.toString('latin1');
    },
    onEnd() {
      parsed.ended = true;
    },
  };
  const parser = new ResponseParser(sink);
  parser.expect(method);
  const bytes = Buffer.from(wire, 'latin1');
  let from = 0;
  for (const at of [...splitAt, bytes.length]) {
    if (at > from) parser.push(bytes.subarray(from, at));
    from = Math.max(from, at);
  }
  return { parsed, parser };
}

const CASES: [string, string, string, Partial<Parsed>][] = [
  ['content-length', 'GET', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\n\r\nhello', { status: 200, statusText: 'OK', body: 'hello', ended: true, keepAlive: true }],
  ['empty reason phrase', 'GET', 'HTTP/1.1 404 \r\ncontent-length: 0\r\n\r\n', { status: 404, statusText: '', body: '', ended: true }],
  ['chunked with extension and trailers', 'GET', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n', { body: 'hello world', ended: true }],
  ['HEAD has no body despite content-length', 'HEAD', 'HTTP/1.1 200 OK\r\nContent-Length: 123\r\n\r\n', { body: '', ended: true }],
  ['204 has no body', 'GET', 'HTTP/1.1 204 No Content\r\n\r\n', { status: 204, ended: true }],
  ['304 has no body', 'GET', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', { status: 304, ended: true }],
  ['1xx is skipped', 'GET', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok', { status: 201, body: 'ok', ended: true }],
  ['connection: close', 'GET', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx', { keepAlive: false, ended: true }],
  ['HTTP/1.0 closes by default', 'GET', 'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx', { keepAlive: false, ended: true }],
  ['no length: body until close', 'GET', 'HTTP/1.1 200 OK\r\n\r\npartial', { body: 'partial', ended: false, keepAlive: false }],
  ['HTTP/1.0 keep-alive in any case', 'GET', 'HTTP/1.0 200 OK\r\nCONNECTION: Keep-Alive\r\nContent-Length: 1\r\n\r\nx', { keepAlive: true, ended: true }],
  ['connection token in a list', 'GET', 'HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\nContent-Length: 1\r\n\r\nx', { keepAlive: false, ended: true }],
  ['chunked after another coding', 'GET', 'HTTP/1.1 200 OK\r\ntransfer-encoding:  gzip, CHUNKED \r\n\r\n1\r\nz\r\n0\r\n\r\n', { body: 'z', ended: true }],
  ['a c-header that is not framing', 'GET', 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nCache-Control: no-store\r\nContent-Length: 2\r\n\r\nhi', { body: 'hi', ended: true }],
];

describe('ResponseParser', () => {
  it.each(CASES)('%s', (_name, method, wire, want) => {
    const { parsed } = parse(wire, method);
    expect(parsed).toMatchObject(want);
  });

  it('keeps header names and values as sent, trimmed', () => {
    const { parsed } = parse('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Empty:\r\nX-A:  b \r\nContent-Length: 0\r\n\r\n');
    expect(parsed.headers).toEqual([['Content-Type', 'text/plain'], ['X-Empty', ''], ['X-A', 'b'], ['Content-Length', '0']]);
  });

  it('completes a close-delimited body at the end of the connection', () => {
    const { parsed, parser } = parse('HTTP/1.1 200 OK\r\n\r\nall of it');
    expect(parser.readsUntilClose).toBe(true);
    expect(parser.end()).toBe(true);
    expect(parsed).toMatchObject({ body: 'all of it', ended: true });
  });

  it('reports a response cut short by the end of the connection', () => {
    const { parser } = parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(parser.end()).toBe(false);
  });

  it.each([
    ['bad status line', 'HTP/1.1 200 OK\r\n\r\n'],
    ['header without colon', 'HTTP/1.1 200 OK\r\nnocolon\r\n\r\n'],
    ['bad content-length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['chunk without CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc'],
    ['bytes after the response', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA'],
  ])('rejects %s', (_name, wire) => {
    expect(() => parse(wire)).toThrow(ResponseParseError);
  });

  it('gives the same result however the bytes are split into reads', () => {
    const wires = [CASES[0]![2], CASES[2]![2], CASES[6]![2]];
    fc.assert(
      fc.property(fc.constantFrom(...wires), fc.array(fc.nat(200), { maxLength: 6 }), (wire, cuts) => {
        const whole = parse(wire).parsed;
        const split = parse(wire, 'GET', [...cuts].sort((a, b) => a - b).map((c) => c % (wire.length + 1))).parsed;
        expect(split).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a head longer than the first bytes it decodes, whatever the reads', () => {
    const wire = `HTTP/1.1 200 OK\r\nX-Long: ${'v'.repeat(2000)}\r\nContent-Length: 3\r\n\r\nabc`;
    const whole = parse(wire).parsed;
    expect(whole).toMatchObject({ status: 200, body: 'abc', ended: true });
    expect(whole.headers[0]?.[1]).toHaveLength(2000);
    // Heads whose final CRLF CRLF ends at, straddles and starts at the 1024-byte probe's end.
    const prefix = 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nX-P: ';
    for (const headLength of [1020, 1021, 1022, 1023, 1024]) {
      const head = prefix + 'p'.repeat(headLength - prefix.length);
      expect(head).toHaveLength(headLength);
      expect(parse(`${head}\r\n\r\nx`).parsed).toMatchObject({ body: 'x', ended: true });
      expect(parse(`${head}\r\n\r\nx`, 'GET', [1022]).parsed).toMatchObject({ body: 'x', ended: true });
    }
    expect(parse(wire, 'GET', [500, 1500]).parsed).toEqual(whole);
  });

  it('parses one response after another on the same connection', () => {
    const { parsed, parser } = parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na');
    expect(parsed.ended).toBe(true);
    parsed.body = '';
    parsed.ended = false;
    parser.expect('GET');
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nbc\r\n0\r\n\r\n'));
    expect(parsed).toMatchObject({ body: 'bc', ended: true });
  });
});
