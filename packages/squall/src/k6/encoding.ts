/** k6/encoding: base64 in k6's four alphabets ('std', 'rawstd', 'url', 'rawurl'). */
type Alphabet = 'std' | 'rawstd' | 'url' | 'rawurl';

function alphabet(enc: string | undefined, where: string): Alphabet {
  const e = enc === undefined || enc === '' ? 'std' : enc;
  if (e === 'std' || e === 'rawstd' || e === 'url' || e === 'rawurl') return e;
  throw new TypeError(`${where}: encoding must be 'std', 'rawstd', 'url' or 'rawurl', but is '${e}'`);
}

function bytes(input: string | ArrayBuffer | Uint8Array): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** Base64 of a string (UTF-8) or bytes. */
export function b64encode(input: string | ArrayBuffer | Uint8Array, encoding?: string): string {
  const a = alphabet(encoding, 'b64encode()');
  const b = bytes(input);
  if (a === 'std') return b.toString('base64');
  if (a === 'rawstd') return b.toString('base64').replace(/=+$/, '');
  const url = b.toString('base64url');
  return a === 'rawurl' ? url : url + '='.repeat((4 - (url.length % 4)) % 4);
}

/** Decodes base64; format 's' gives a string, otherwise an ArrayBuffer (k6). */
export function b64decode(input: string, encoding?: string, format?: string): string | ArrayBuffer {
  const a = alphabet(encoding, 'b64decode()');
  const b = Buffer.from(String(input), a === 'std' || a === 'rawstd' ? 'base64' : 'base64url');
  if (format === 's') return b.toString('utf8');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export const encodingModule = { b64encode, b64decode };
