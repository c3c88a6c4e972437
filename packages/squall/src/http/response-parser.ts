/**
 * Incremental HTTP/1.1 response parser for one connection: status line and headers, then the body
 * framed by Content-Length, chunked transfer coding (trailers skipped) or the connection's end.
 * Emits through a small sink so the connection can hand the pieces to undici-style handlers.
 */

/**
 * A response head kept as its latin1 text: the parser reads only the framing headers from it; the
 * fields are cut out when someone asks (a redirect, or a script reading `res.headers`).
 */
export class ResponseHead {
  #fields: string[] | null = null;

  constructor(
    /** Starts with the status line; the head is text[0, end), followed by its final CRLF CRLF (and maybe more). */
    readonly text: string,
    /** Where the first header line starts (`end` when there is none). */
    readonly fieldsStart: number,
    /** Where the head's final CRLF CRLF starts. */
    readonly end: number,
  ) {}

  /** The head's size on the wire: status line, header lines and the empty line. */
  get wireBytes(): number {
    return this.end + 4;
  }

  /** Flat [name, value, ...] as received, values without surrounding blanks. */
  fields(): string[] {
    if (this.#fields === null) {
      const text = this.text;
      const raw: string[] = [];
      let lineStart = this.fieldsStart;
      while (lineStart < this.end) {
        const eol = lineEnd(text, lineStart);
        const first = text.charCodeAt(lineStart);
        if (first === 32 || first === 9) {
          // obs-fold: replaced by one SP (RFC 9112 5.2).
          const vStart = valueStart(text, lineStart - 1, eol);
          const more = text.slice(vStart, valueEnd(text, vStart, eol));
          if (more !== '') raw[raw.length - 1] = raw[raw.length - 1] === '' ? more : `${raw[raw.length - 1]} ${more}`;
          lineStart = eol + 2;
          continue;
        }
        const colon = text.indexOf(':', lineStart);
        const vStart = valueStart(text, colon, eol);
        const value = text.slice(vStart, valueEnd(text, vStart, eol));
        // A bare CR is replaced by SP (RFC 9112 2.2), here where fields are read, not on the hot path.
        raw.push(text.slice(lineStart, colon), value.includes('\r') ? value.replaceAll('\r', ' ') : value);
        lineStart = eol + 2;
      }
      this.#fields = raw;
    }
    return this.#fields;
  }
}

/** What the parser reports, in order, for each response. */
export interface ResponseSink {
  /** A final (non-1xx) response head. */
  onHead(status: number, statusText: string, head: ResponseHead, keepAlive: boolean): void;
  /** A view of the bytes pushed: valid only during the call (copy it to keep it). */
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

/** The most bytes a head (status line, fields, empty line) or a trailer section may take. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** The most bytes a chunk-size line (size and extensions) may take before its CRLF. */
export const MAX_CHUNK_LINE_BYTES = 4 * 1024;
/** Hex digits of the largest chunk size accepted (13 digits stay below 2^53). */
const MAX_CHUNK_SIZE_DIGITS = 13;
const CRLF_CRLF = Buffer.from('\r\n\r\n');
/** Bytes decoded to look for the end of a head: most heads fit, and a large body is not decoded. */
const HEAD_PROBE_BYTES = 1024;

/** Parses the responses of one connection, one at a time (no pipelining). */
export class ResponseParser {
  #state = State.Done;
  #pending: Buffer | null = null;
  #remaining = 0;
  #noBody = false;
  #keepAlive = true;
  #headEnd = 0;
  #trailerBytes = 0;

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

  /**
   * Feeds bytes read from the socket. Keeps no view of `data` (the caller may reuse it): body
   * chunks passed to the sink are views the sink must copy to keep. Throws ResponseParseError on
   * malformed input.
   */
  push(data: Buffer): void {
    const buf = this.#pending === null ? data : Buffer.concat([this.#pending, data]);
    this.#pending = null;
    let at = 0;
    while (at < buf.length && this.#state !== State.Done) {
      switch (this.#state) {
        case State.Head: {
          const text = this.#findHead(buf, at);
          if (text === null) {
            if (buf.length - at > MAX_HEAD_BYTES) throw new ResponseParseError(`head longer than ${MAX_HEAD_BYTES} bytes`);
            checkPartialHead(buf, at, Math.max(at, buf.length - data.length - 1));
            this.#pending = Buffer.from(buf.subarray(at));
            return;
          }
          const end = this.#headEnd;
          if (end + 4 > MAX_HEAD_BYTES) throw new ResponseParseError(`head longer than ${MAX_HEAD_BYTES} bytes`);
          this.#head(text, end);
          at += end + 4;
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
            if (buf.length - at > MAX_CHUNK_LINE_BYTES) throw new ResponseParseError(`chunk size line longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
            checkChunkLineStart(buf, at, buf.length);
            this.#pending = Buffer.from(buf.subarray(at));
            return;
          }
          if (eol - at > MAX_CHUNK_LINE_BYTES) throw new ResponseParseError(`chunk size line longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
          const size = chunkSize(buf, at, eol);
          at = eol + 2;
          if (size === 0) {
            this.#state = State.Trailers;
            this.#trailerBytes = 0;
          } else {
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
            this.#pending = Buffer.from(buf.subarray(at));
            return;
          }
          if (buf[at] !== 13 || buf[at + 1] !== 10) throw new ResponseParseError('chunk data not followed by CRLF');
          at += 2;
          this.#state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const eol = buf.indexOf('\r\n', at, 'latin1');
          const lineBytes = (eol < 0 ? buf.length : eol + 2) - at;
          if (this.#trailerBytes + lineBytes > MAX_HEAD_BYTES) throw new ResponseParseError(`trailer section longer than ${MAX_HEAD_BYTES} bytes`);
          if (buf.indexOf(10, at) !== (eol < 0 ? -1 : eol + 1)) throw new ResponseParseError('bare LF in a trailer line');
          if (eol < 0) {
            this.#pending = Buffer.from(buf.subarray(at));
            return;
          }
          // Trailer fields are skipped; the empty line ends the message.
          const empty = eol === at;
          const colon = empty ? at : buf.indexOf(58, at);
          if (colon < 0 || colon > eol) throw new ResponseParseError('trailer line without ":"');
          this.#trailerBytes += lineBytes;
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

  /**
   * Text starting with the head that starts at `at`, as latin1, with the head's length in
   * `#headEnd`; null when the head is not complete yet. The first bytes are decoded once and
   * searched as a string, and the head is parsed in that same string: no native Buffer search and
   * no second decode or slice (a sliced string is slower to scan) for the usual head that fits.
   */
  #findHead(buf: Buffer, at: number): string | null {
    const probeEnd = Math.min(buf.length, at + HEAD_PROBE_BYTES);
    const probe = buf.toString('latin1', at, probeEnd);
    const end = probe.indexOf('\r\n\r\n');
    if (end >= 0) {
      this.#headEnd = end;
      return probe;
    }
    if (probeEnd === buf.length) return null;
    const endAt = buf.indexOf(CRLF_CRLF, probeEnd - 3);
    if (endAt < 0) return null;
    this.#headEnd = endAt - at;
    return buf.toString('latin1', at, endAt + 4);
  }

  /** Reads the head text[0, end) (followed by CRLF CRLF in `text`). */
  #head(text: string, end: number): void {
    const statusEnd = lineEnd(text, 0);
    // "HTTP/1.1 200 OK": fixed positions, checked without a regex (this runs once per response).
    const status = statusOf(text, statusEnd);
    if (status < 100) throw new ResponseParseError(`bad status line ${JSON.stringify(text.slice(0, Math.min(statusEnd, 40)))}`);
    const http10 = text.charCodeAt(7) === 48;
    const reason = statusEnd > 13 ? text.slice(13, statusEnd) : '';
    const fieldsStart = statusEnd === end ? end : statusEnd + 2;
    // Only the framing headers are looked at here, in place; the rest stay in `text` until read.
    // Their names start with c or t, so other lines are only checked for their colon.
    let length = -1;
    let chunked = false;
    let close = false;
    let keepAliveHeader = false;
    let transferEncoding = false;
    let framingLine = false;
    let lineStart = fieldsStart;
    while (lineStart < end) {
      const eol = lineEnd(text, lineStart);
      const first = text.charCodeAt(lineStart);
      if (first === 32 || first === 9) {
        // obs-fold (RFC 9112 5.2): continues the previous field; never allowed in a framing field
        // nor right after the status line (2.2).
        if (lineStart === fieldsStart) throw new ResponseParseError('whitespace before the first header line');
        if (framingLine) throw new ResponseParseError('obs-fold in a framing header');
        lineStart = eol + 2;
        continue;
      }
      framingLine = false;
      const colon = text.indexOf(':', lineStart);
      if (colon <= lineStart || colon > eol) throw new ResponseParseError(`header line without a name and ":" ${JSON.stringify(text.slice(lineStart, Math.min(eol, lineStart + 40)))}`);
      const beforeColon = text.charCodeAt(colon - 1);
      if (beforeColon === 32 || beforeColon === 9) throw new ResponseParseError(`whitespace before ":" in ${JSON.stringify(text.slice(lineStart, Math.min(colon, lineStart + 40)))}`);
      if ((first | 0x20) === 99 /* c */ || (first | 0x20) === 116 /* t */) {
        const nameLength = colon - lineStart;
        if (nameLength === 14 && sameLower(text, lineStart, 'content-length')) {
          const vStart = valueStart(text, colon, eol);
          const n = decimal(text, vStart, valueEnd(text, vStart, eol));
          if (n < 0) throw new ResponseParseError('bad content-length');
          // Duplicates are rejected even when equal (RFC 9110 8.6 allows either; undici rejects).
          if (length >= 0) throw new ResponseParseError(n === length ? 'two content-length headers' : `two different content-length values (${length} and ${n})`);
          length = n;
          framingLine = true;
        } else if (nameLength === 17 && sameLower(text, lineStart, 'transfer-encoding')) {
          const vStart = valueStart(text, colon, eol);
          // Chunked only when it is the final coding (RFC 9112 6.3): otherwise the body runs to the close.
          chunked = endsWithChunked(text, vStart, valueEnd(text, vStart, eol));
          transferEncoding = true;
          framingLine = true;
        } else if (nameLength === 10 && sameLower(text, lineStart, 'connection')) {
          const vStart = valueStart(text, colon, eol);
          const vEnd = valueEnd(text, vStart, eol);
          close = valueHas(text, vStart, vEnd, 'close');
          keepAliveHeader = valueHas(text, vStart, vEnd, 'keep-alive');
        }
      }
      lineStart = eol + 2;
    }
    if (transferEncoding && length >= 0) throw new ResponseParseError('both transfer-encoding and content-length');
    if (status < 200) {
      // 1xx: an interim response; the final one follows on the same connection.
      this.#state = State.Head;
      return;
    }
    const noBody = this.#noBody || status === 204 || status === 304;
    const untilClose = !noBody && !chunked && (length < 0 || transferEncoding);
    // A body framed by the connection's end leaves nothing to reuse.
    this.#keepAlive = !untilClose && (http10 ? keepAliveHeader : !close);
    this.sink.onHead(status, reason, new ResponseHead(text, fieldsStart, end), this.#keepAlive);
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

/** The status code of an HTTP/1.0 or 1.1 status line (`text` up to `lineEnd`), or -1 when it is not one. */
function statusOf(text: string, lineEnd: number): number {
  if (lineEnd < 12 || !text.startsWith('HTTP/1.') || text.charCodeAt(8) !== 32) return -1;
  const v = text.charCodeAt(7);
  if (v !== 48 && v !== 49) return -1;
  if (lineEnd > 12 && text.charCodeAt(12) !== 32) return -1;
  let status = 0;
  for (let i = 9; i < 12; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    status = status * 10 + d;
  }
  return status;
}

/**
 * Where the line starting at `from` ends: its CRLF. Searches LF (a one-character search is the
 * fast one) and checks the CR. Only called inside a head, which ends with CRLF CRLF.
 */
function lineEnd(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  if (lf <= from || text.charCodeAt(lf - 1) !== 13) throw new ResponseParseError('bare LF in a CRLF head');
  return lf - 1;
}

/** Whether the transfer-coding list text[vStart, vEnd) ends with `chunked` (any case). */
function endsWithChunked(text: string, vStart: number, vEnd: number): boolean {
  if (vEnd - vStart < 7 || !sameLower(text, vEnd - 7, 'chunked')) return false;
  const before = vEnd - 7 - 1;
  if (before < vStart) return true;
  const c = text.charCodeAt(before);
  return c === 44 || c === 32 || c === 9;
}

/**
 * The size on the chunk-size line buf[at, eol): 1*HEXDIG, then optional blanks and `;` extensions
 * (ignored). Throws on anything else or a size of more than MAX_CHUNK_SIZE_DIGITS digits.
 */
function chunkSize(buf: Buffer, at: number, eol: number): number {
  let size = 0;
  let i = at;
  for (; i < eol; i++) {
    const d = hexDigit(buf[i]!);
    if (d < 0) break;
    size = size * 16 + d;
  }
  const digits = i - at;
  if (digits === 0 || digits > MAX_CHUNK_SIZE_DIGITS) {
    throw new ResponseParseError(digits === 0 ? `bad chunk size line ${JSON.stringify(buf.toString('latin1', at, Math.min(eol, at + 20)))}` : 'chunk size overflows');
  }
  while (i < eol && (buf[i] === 32 || buf[i] === 9)) i++;
  if (i < eol && buf[i] !== 59 /* ; */) throw new ResponseParseError(`bad chunk size line ${JSON.stringify(buf.toString('latin1', at, Math.min(eol, at + 20)))}`);
  if (buf.indexOf(10, at) < eol) throw new ResponseParseError('bare LF in a chunk size line');
  return size;
}

/** Fails early on a chunk-size line still being received: a bare LF, or too many digits. */
function checkChunkLineStart(buf: Buffer, at: number, end: number): void {
  if (buf.indexOf(10, at) >= 0 && buf.indexOf(10, at) < end) throw new ResponseParseError('bare LF in a chunk size line');
  let i = at;
  while (i < end && hexDigit(buf[i]!) >= 0) i++;
  if (i - at > MAX_CHUNK_SIZE_DIGITS) throw new ResponseParseError('chunk size overflows');
  if (i < end && i === at) throw new ResponseParseError(`bad chunk size line ${JSON.stringify(buf.toString('latin1', at, Math.min(end, at + 20)))}`);
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/**
 * Fails early on a head still being received that can never be valid: a bare LF (a head of LF
 * lines never reaches its CRLF CRLF) or a first line that is not an HTTP/1.x status line.
 */
function checkPartialHead(buf: Buffer, at: number, from: number): void {
  let lf = buf.indexOf(10, from);
  while (lf >= 0) {
    if (lf === at || buf[lf - 1] !== 13) throw new ResponseParseError('bare LF in a CRLF head');
    lf = buf.indexOf(10, lf + 1);
  }
  const n = Math.min(buf.length - at, 5);
  if (buf.toString('latin1', at, at + n) !== 'HTTP/'.slice(0, n)) throw new ResponseParseError(`bad status line ${JSON.stringify(buf.toString('latin1', at, Math.min(buf.length, at + 40)))}`);
}

/** Whether text[at, at + lower.length) equals `lower` ignoring ASCII case. */
function sameLower(text: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    if ((text.charCodeAt(at + i) | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Where the value of the header line whose colon is at `colon` and which ends at `eol` starts (blanks skipped). */
function valueStart(text: string, colon: number, eol: number): number {
  let vStart = colon + 1;
  while (vStart < eol && (text.charCodeAt(vStart) === 32 || text.charCodeAt(vStart) === 9)) vStart++;
  return vStart;
}

/** Where the value starting at `vStart` and ending the line at `eol` ends, trailing blanks dropped. */
function valueEnd(text: string, vStart: number, eol: number): number {
  let vEnd = eol;
  while (vEnd > vStart && (text.charCodeAt(vEnd - 1) === 32 || text.charCodeAt(vEnd - 1) === 9)) vEnd--;
  return vEnd;
}

/**
 * Whether the header value text[vStart, vEnd) contains `lower`, ignoring ASCII case. The usual
 * value is exactly the token (`keep-alive`, `chunked`) and is compared in place; others are
 * lower-cased.
 */
function valueHas(text: string, vStart: number, vEnd: number, lower: string): boolean {
  if (vEnd - vStart === lower.length) return sameLower(text, vStart, lower);
  if (vEnd - vStart < lower.length) return false;
  return text.slice(vStart, vEnd).toLowerCase().includes(lower);
}

/** The non-negative integer text[start, end) spells, or -1 (empty, not all digits, or unsafe). */
function decimal(text: string, start: number, end: number): number {
  if (start === end || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
