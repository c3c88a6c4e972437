/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, "" for a quote inside
 * quotes, CRLF or LF line ends, quoted fields may span lines. Calls `onRow` per row so large
 * files need no array of all rows. Returns the number of rows; throws on an unclosed quote.
 */
export function parseCsv(text: string, onRow: (fields: string[], line: number) => void, delimiter = ','): number {
  let rows = 0;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const n = text.charCodeAt(0) === 0xfeff ? (i = 1, text.length) : text.length;
  const endRow = () => {
    fields.push(field);
    field = '';
    // A blank line is no row.
    if (!(fields.length === 1 && fields[0] === '')) {
      onRow(fields, rowLine);
      rows++;
    }
    fields = [];
  };
  while (i < n) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
    i++;
  }
  if (quoted) throw new Error(`line ${rowLine}: a quoted field is never closed`);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}
