/**
 * A response header name or value as the connection delivered it: a Buffer from undici, or a
 * latin1 string from squall's own HTTP/1.1 parser (slices of the decoded head cost less than a
 * Buffer view per field). Either way its `length` is its size in bytes on the wire.
 */
export type RawHeader = Buffer | string;

/** The field's text (latin1, as HTTP/1.1 header bytes are). */
export function rawText(field: RawHeader): string {
  return typeof field === 'string' ? field : field.toString('latin1');
}
