import pc from 'picocolors';
import type { ProgressUpdate, ScenarioProgressView } from '../engine/progress.js';

/** Where live progress goes and how. */
export interface ProgressPrinterOptions {
  readonly write: (text: string) => void;
  /** Redraw bars in place (a terminal) or print a plain line every `plainEveryMs`. */
  readonly tty: boolean;
  readonly color: boolean;
  readonly columns?: number;
  readonly plainEveryMs?: number;
}

/** Formats ms as `1m05.0s` / `12.3s`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `${m}m${rest < 10 ? '0' : ''}${rest.toFixed(1)}s`;
}

/** Fraction of the scenario done, 0..1, from iterations when fixed in advance, else from time. */
export function scenarioFraction(s: ScenarioProgressView, elapsedMs: number): number {
  if (s.done) return 1;
  if (s.plannedIterations !== undefined && s.plannedIterations > 0 && s.executor !== 'constant-arrival-rate') {
    return Math.min(1, (s.completed + s.interrupted) / s.plannedIterations);
  }
  if (s.durationMs <= 0) return 0;
  return Math.min(1, Math.max(0, (elapsedMs - s.startTimeMs) / s.durationMs));
}

/** One line per scenario: name, bar, VUs, iterations, rate, elapsed/total. */
export function formatScenarioLine(s: ScenarioProgressView, elapsedMs: number, color: boolean, barWidth = 24): string {
  const frac = scenarioFraction(s, elapsedMs);
  const filled = Math.round(frac * barWidth);
  const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (frac >= 1 ? '=' : '>') : '') + ' '.repeat(barWidth - filled);
  const runMs = Math.max(0, Math.min(elapsedMs - s.startTimeMs, s.durationMs || Infinity));
  const rate = runMs > 0 ? (s.completed / runMs) * 1000 : 0;
  const status = s.done ? (color ? pc.green('done') : 'done') : `${formatElapsed(runMs)}/${formatElapsed(s.durationMs)}`;
  const dropped = s.dropped > 0 ? ` ${s.dropped} dropped` : '';
  const interrupted = s.interrupted > 0 ? ` ${s.interrupted} interrupted` : '';
  return `${s.name.padEnd(16)} [${bar}] ${String(s.activeVUs).padStart(5)}/${s.maxVUs} VUs  ${s.completed} iters ${rate.toFixed(1)}/s${dropped}${interrupted}  ${status}`;
}

/** Live progress: redrawn bars on a terminal, a plain line every few seconds otherwise. */
export class ProgressPrinter {
  #linesDrawn = 0;
  #lastPlainMs = -Infinity;
  #printedDone = false;
  constructor(readonly opts: ProgressPrinterOptions) {}

  /** Shows the latest update. */
  update(u: ProgressUpdate): void {
    if (this.opts.tty) {
      const lines = u.scenarios.map((s) => formatScenarioLine(s, u.elapsedMs, this.opts.color));
      const up = this.#linesDrawn > 0 ? `\x1b[${this.#linesDrawn}A` : '';
      this.opts.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
      this.#linesDrawn = lines.length;
      return;
    }
    const every = this.opts.plainEveryMs ?? 5000;
    const allDone = u.scenarios.every((s) => s.done);
    if (allDone ? this.#printedDone : u.elapsedMs - this.#lastPlainMs < every) return;
    this.#printedDone = allDone;
    this.#lastPlainMs = u.elapsedMs;
    const parts = u.scenarios.map((s) => `${s.name}: ${s.activeVUs} VUs, ${s.completed} iters${s.interrupted ? `, ${s.interrupted} interrupted` : ''}${s.dropped ? `, ${s.dropped} dropped` : ''}${s.done ? ', done' : ''}`);
    this.opts.write(`running (${formatElapsed(u.elapsedMs)}) ${parts.join('; ')}\n`);
  }

  /** Prints a message without breaking the bars. */
  message(text: string): void {
    this.#linesDrawn = 0;
    this.opts.write(`${text}\n`);
  }
}
