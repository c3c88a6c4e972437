/** k6/crypto over node:crypto: hash functions, hmac, createHash/createHMAC, randomBytes. */
import { createHash as nodeHash, createHmac, randomBytes as nodeRandom, getHashes } from 'node:crypto';

const ALGORITHMS: Readonly<Record<string, string>> = {
  md4: 'md4',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
  ripemd160: 'ripemd160',
};

function algorithm(name: string, where: string): string {
  const a = ALGORITHMS[name];
  if (a === undefined || !getHashes().includes(a)) throw new TypeError(`${where}: the hash '${name}' is not available (use ${Object.keys(ALGORITHMS).join(', ')})`);
  return a;
}

type Data = string | ArrayBuffer | Uint8Array;
const buf = (d: Data): Buffer => (typeof d === 'string' ? Buffer.from(d) : d instanceof ArrayBuffer ? Buffer.from(d) : Buffer.from(d.buffer, d.byteOffset, d.byteLength));

function output(digest: Buffer, enc: string | undefined, where: string): string | ArrayBuffer {
  switch (enc ?? 'binary') {
    case 'hex':
      return digest.toString('hex');
    case 'base64':
      return digest.toString('base64');
    case 'base64url':
      return digest.toString('base64url') + '='.repeat((4 - (digest.toString('base64url').length % 4)) % 4);
    case 'base64rawurl':
      return digest.toString('base64url');
    case 'binary':
      return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength) as ArrayBuffer;
    default:
      throw new TypeError(`${where}: output encoding must be 'hex', 'base64', 'base64url', 'base64rawurl' or 'binary', but is '${String(enc)}'`);
  }
}

/** An incremental hash or HMAC (k6 Hasher). */
class Hasher {
  constructor(
    readonly h: { update(d: Buffer): unknown; digest(): Buffer },
    readonly where: string,
  ) {}
  update(data: Data): Hasher {
    this.h.update(buf(data));
    return this;
  }
  digest(enc?: string): string | ArrayBuffer {
    return output(this.h.digest(), enc, this.where);
  }
}

const hashFn = (name: string) => (data: Data, enc?: string) => output(nodeHash(algorithm(name, name)).update(buf(data)).digest(), enc, `${name}()`);

export const cryptoModule = {
  ...Object.fromEntries(Object.keys(ALGORITHMS).map((n) => [n, hashFn(n)])),
  hmac: (alg: string, secret: Data, data: Data, enc?: string) => output(createHmac(algorithm(alg, 'hmac()'), buf(secret)).update(buf(data)).digest(), enc, 'hmac()'),
  createHash: (alg: string) => new Hasher(nodeHash(algorithm(alg, 'createHash()')), 'createHash()'),
  createHMAC: (alg: string, secret: Data) => new Hasher(createHmac(algorithm(alg, 'createHMAC()'), buf(secret)), 'createHMAC()'),
  randomBytes: (n: number) => {
    const b = nodeRandom(n);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  },
};
