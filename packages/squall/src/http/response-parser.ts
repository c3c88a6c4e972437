/**
 * Incremental HTTP/1.1 response parser for one connection: status line and headers, then the body
 * framed by Content-Length, chunked transfer coding (trailers skipped) or the connection's end.
 * Emits through a small sink so the connection can hand the pieces to undici-style handlers.
 */

/** What the parser reports, in order, for each response. */
export interface ResponseSink {
  /** A final (non-1xx) response head. `rawHeaders` is flat [name, value, ...] (latin1 text). */
  onHead(status: number, statusText: string, rawHeaders: string[], keepAlive: boolean): void;
  onBody(chunk: Buffer): void;
  onEnd(): void;
}

/** A response the parser could not make sense of; the connection must be dropped. */
export class ResponseParseError extends Error {
  readonly code = 'SQUALL_HTTP_PARSE';
  constructor(message: string) {
    super(`invalid HTTP response: ${message}`);
    this.name = 'ResponseParseError';
  }
}

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const MAX_HEAD_BYTES = 64 * 1024;
const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** Parses the responses of one connection, one at a time (no pipelining). */
export class ResponseParser {
  #state = State.Done;
  #pending: Buffer | null = null;
  #remaining = 0;
  #noBody = false;
  #keepAlive = true;

  constructor(readonly sink: ResponseSink) {}

  /** Prepares for the response to a request with `method`. */
  expect(method: string): void {
    this.#state = State.Head;
    this.#pending = null;
    this.#noBody = method === 'HEAD';
  }

  /** Forgets any response in progress (the connection was dropped). */
  reset(): void {
    this.#state = State.Done;
    this.#pending = null;
  }

  /** True while a response body is framed by the connection's end (it completes on close). */
  get readsUntilClose(): boolean {
    return this.#state === State.UntilClose;
  }

  /** Whether the parser is inside a response (anything expected or partly read). */
  get busy(): boolean {
    return this.#state !== State.Done;
  }

  /** Feeds bytes read from the socket. Throws ResponseParseError on malformed input. */
  push(data: Buffer): void {
    const buf = this.#pending === null ? data : Buffer.concat([this.#pending, data]);
    this.#pending = null;
    let at = 0;
    while (at < buf.length && this.#state !== State.Done) {
      switch (this.#state) {
        case State.Head: {
          const end = buf.indexOf(CRLF_CRLF, at);
          if (end < 0) {
            if (buf.length - at > MAX_HEAD_BYTES) throw new ResponseParseError(`head longer than ${MAX_HEAD_BYTES} bytes`);
            this.#pending = buf.subarray(at);
            return;
          }
          this.#head(buf, at, end);
          at = end + 4;
          break;
        }
        case State.Length: {
          const n = Math.min(this.#remaining, buf.length - at);
          this.sink.onBody(buf.subarray(at, at + n));
          at += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#finish();
          break;
        }
        case State.ChunkSize: {
          const eol = buf.indexOf('\r\n', at, 'latin1');
          if (eol < 0) {
            this.#pending = buf.subarray(at);
            return;
          }
          const line = buf.toString('latin1', at, eol);
          const size = Number.parseInt(line, 16);
          if (!Number.isFinite(size) || size < 0 || !/^[0-9a-fA-F]+/.test(line)) throw new ResponseParseError(`bad chunk size line ${JSON.stringify(line.slice(0, 20))}`);
          at = eol + 2;
          if (size === 0) this.#state = State.Trailers;
          else {
            this.#remaining = size;
            this.#state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const n = Math.min(this.#remaining, buf.length - at);
          this.sink.onBody(buf.subarray(at, at + n));
          at += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = State.ChunkDataEnd;
          break;
        }
        case State.ChunkDataEnd: {
          if (buf.length - at < 2) {
            this.#pending = buf.subarray(at);
            return;
          }
          if (buf[at] !== 13 || buf[at + 1] !== 10) throw new ResponseParseError('chunk data not followed by CRLF');
          at += 2;
          this.#state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const eol = buf.indexOf('\r\n', at, 'latin1');
          if (eol < 0) {
            this.#pending = buf.subarray(at);
            return;
          }
          // Trailer fields are skipped; the empty line ends the message.
          const empty = eol === at;
          at = eol + 2;
          if (empty) this.#finish();
          break;
        }
        case State.UntilClose:
          this.sink.onBody(buf.subarray(at));
          at = buf.length;
          break;
      }
    }
    if (at < buf.length) throw new ResponseParseError(`${buf.length - at} unexpected bytes after the response`);
  }

  /** The connection ended: completes a close-delimited body; false when a response was cut short. */
  end(): boolean {
    if (this.#state === State.UntilClose) {
      this.#finish();
      return true;
    }
    return this.#state === State.Done;
  }

  #head(buf: Buffer, start: number, end: number): void {
    const text = buf.toString('latin1', start, end);
    const firstEol = text.indexOf('\r\n');
    const statusLine = firstEol < 0 ? text : text.slice(0, firstEol);
    // "HTTP/1.1 200 OK": fixed positions, checked without a regex (this runs once per response).
    const status = statusOf(statusLine);
    if (status < 0) throw new ResponseParseError(`bad status line ${JSON.stringify(statusLine.slice(0, 40))}`);
    const http10 = statusLine.charCodeAt(7) === 48;
    const reason = statusLine.length > 13 ? statusLine.slice(13) : '';
    const raw: string[] = [];
    let length = -1;
    let chunked = false;
    let connection = '';
    let lineStart = firstEol < 0 ? text.length : firstEol + 2;
    while (lineStart < text.length) {
      let eol = text.indexOf('\r\n', lineStart);
      if (eol < 0) eol = text.length;
      const colon = text.indexOf(':', lineStart);
      if (colon < 0 || colon > eol) throw new ResponseParseError(`header line without ":" ${JSON.stringify(text.slice(lineStart, Math.min(eol, lineStart + 40)))}`);
      let vStart = colon + 1;
      while (text.charCodeAt(vStart) === 32 || text.charCodeAt(vStart) === 9) vStart++;
      let vEnd = eol;
      while (vEnd > vStart && (text.charCodeAt(vEnd - 1) === 32 || text.charCodeAt(vEnd - 1) === 9)) vEnd--;
      raw.push(text.slice(lineStart, colon), text.slice(vStart, vEnd));
      const nameLength = colon - lineStart;
      if (nameLength === 14 && text.slice(lineStart, colon).toLowerCase() === 'content-length') {
        length = Number(text.slice(vStart, vEnd));
        if (!Number.isSafeInteger(length) || length < 0) throw new ResponseParseError('bad content-length');
      } else if (nameLength === 17 && text.slice(lineStart, colon).toLowerCase() === 'transfer-encoding') {
        chunked = text.slice(vStart, vEnd).toLowerCase().includes('chunked');
      } else if (nameLength === 10 && text.slice(lineStart, colon).toLowerCase() === 'connection') {
        connection = text.slice(vStart, vEnd).toLowerCase();
      }
      lineStart = eol + 2;
    }
    if (status < 200) {
      // 1xx: an interim response; the final one follows on the same connection.
      this.#state = State.Head;
      return;
    }
    const noBody = this.#noBody || status === 204 || status === 304;
    const untilClose = !noBody && !chunked && length < 0;
    // A body framed by the connection's end leaves nothing to reuse.
    this.#keepAlive = !untilClose && (http10 ? connection.includes('keep-alive') : !connection.includes('close'));
    this.sink.onHead(status, reason, raw, this.#keepAlive);
    if (noBody) this.#finish();
    else if (chunked) this.#state = State.ChunkSize;
    else if (untilClose) this.#state = State.UntilClose;
    else {
      this.#remaining = length;
      if (length === 0) this.#finish();
      else this.#state = State.Length;
    }
  }

  /** Whether the connection may carry another request after the current response. */
  get keepAlive(): boolean {
    return this.#keepAlive;
  }

  #finish(): void {
    this.#state = State.Done;
    this.sink.onEnd();
  }
}

/** The status code of an HTTP/1.0 or 1.1 status line, or -1 when it is not one. */
function statusOf(line: string): number {
  if (line.length < 12 || !line.startsWith('HTTP/1.') || line.charCodeAt(8) !== 32) return -1;
  const v = line.charCodeAt(7);
  if (v !== 48 && v !== 49) return -1;
  if (line.length > 12 && line.charCodeAt(12) !== 32) return -1;
  let status = 0;
  for (let i = 9; i < 12; i++) {
    const d = line.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    status = status * 10 + d;
  }
  return status;
}
