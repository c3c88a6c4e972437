// snappyjs ships no types; the two functions squall uses (Snappy block format, not framed).
declare module 'snappyjs' {
  /** Snappy block-format compression. */
  export function compress(input: Uint8Array): Uint8Array;
  /** Inverse of `compress`; throws on an invalid stream or one longer than `maxLength`. */
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
}
