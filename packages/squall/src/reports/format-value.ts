/** Formatting of figures and changes for every report format (pure). */

/** A number with about 3 significant digits, without exponent notation for usual magnitudes. */
export function sig3(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/** Milliseconds as `850µs`, `21.3ms`, `2.41s`. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${sig3(ms * 1000)}µs`;
  if (ms < 1000) return `${sig3(ms)}ms`;
  return `${sig3(ms / 1000)}s`;
}

/** A share 0..1 as a percentage: `99.94%`. */
export function formatRate(r: number): string {
  return `${(r * 100).toFixed(r === 0 || r === 1 ? 0 : 2)}%`;
}

/** Whether a figure key is a rate 0..1 (compared in percentage points). */
export function isRateKey(key: string): boolean {
  return /^(error_rate|checks_rate)/.test(key);
}

/** A figure value in its unit, from its key (see RunFigures.metrics). */
export function formatFigure(key: string, v: number): string {
  if (key.startsWith('latency_')) return formatMs(v);
  if (isRateKey(key)) return formatRate(v);
  if (key.startsWith('throughput') || key.startsWith('iterations_rate')) return `${sig3(v)}/s`;
  return sig3(v);
}

/** The change between two values of a figure: `+14.2%`, or `+0.50 pt` for rates. */
export function formatChange(key: string, relative: number, points: number): string {
  if (isRateKey(key)) return `${points >= 0 ? '+' : '−'}${Math.abs(points).toFixed(2)} pt`;
  if (Number.isNaN(relative)) return 'from 0';
  return `${relative >= 0 ? '+' : '−'}${Math.abs(relative * 100).toFixed(1)}%`;
}

/** A duration in ms as `2h 15m`, `1m 05s`, `9.8s`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${sig3(s)}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = Math.round(s % 60);
  return h > 0 ? `${h}h ${m}m` : `${m}m ${String(rest).padStart(2, '0')}s`;
}

/** Escapes text for HTML and XML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Escapes a Markdown table cell. */
export function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
