/** One progress reading of a generation run. */
export interface GenerateProgress {
  readonly kind: string;
  readonly records: number;
  readonly total: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

const nf = new Intl.NumberFormat('en-US');

/** `1.5 MB` style sizes (decimal units, as disk tools print). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i] as string}`;
}

/** The bar line (no newline): kind, bar, percent, counts, rate, size and time left. */
export function formatProgressLine(p: GenerateProgress, width = 24): string {
  const frac = p.total > 0 ? Math.min(1, p.records / p.total) : 1;
  const filled = Math.round(frac * width);
  const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (frac >= 1 ? '=' : '>') : '') + ' '.repeat(width - filled);
  const rate = p.elapsedMs > 0 ? (p.records / p.elapsedMs) * 1000 : 0;
  const etaS = rate > 0 ? Math.ceil((p.total - p.records) / rate) : undefined;
  const eta = frac >= 1 ? 'done' : etaS === undefined ? 'ETA --' : `ETA ${etaS}s`;
  return `${p.kind} [${bar}] ${String(Math.floor(frac * 100)).padStart(3)}% ${nf.format(p.records)}/${nf.format(p.total)}  ${nf.format(Math.round(rate))}/s  ${formatBytes(p.bytes)}  ${eta}`;
}

/** Redraws one progress line in place on a terminal, at most every `everyMs`. */
export class ProgressBar {
  #lastDrawMs = -Infinity;
  #drawn = false;

  constructor(
    readonly write: (text: string) => void,
    readonly everyMs = 100,
  ) {}

  /** Draws `p` unless the last draw was too recent (`force` draws anyway). */
  update(p: GenerateProgress, force = false): void {
    if (!force && p.elapsedMs - this.#lastDrawMs < this.everyMs) return;
    this.#lastDrawMs = p.elapsedMs;
    this.#drawn = true;
    this.write(`\r\x1b[2K${formatProgressLine(p)}`);
  }

  /** Ends the line so later output starts on a fresh one. */
  done(): void {
    if (this.#drawn) this.write('\n');
    this.#drawn = false;
  }
}
