import { ActivityError } from './errors.js';

/**
 * Faults the target can inject so squall's detection can be checked against known truth. Shares
 * are applied deterministically (an accumulator, not a coin flip): `error=0.1` fails exactly every
 * 10th request, so a test knows the exact count to expect.
 */
export type Fault =
  | { readonly kind: 'latency'; readonly delayMs: number; readonly share: number }
  | { readonly kind: 'error'; readonly rate: number }
  | { readonly kind: 'stall'; readonly stallMs: number; readonly everyMs: number }
  | { readonly kind: 'drop'; readonly count: number }
  | { readonly kind: 'slow-insert'; readonly delayMs: number }
  | { readonly kind: 'insert-rate'; readonly eventsPerSec: number };

/** The `--fault` syntax, for help texts and error messages. */
export const FAULT_SYNTAX =
  'latency=DURATION[@SHARE] | error=RATE | stall=DURATION/PERIOD | drop=COUNT | slow-insert=DURATION | insert-rate=EVENTS_PER_SEC (e.g. latency=200ms@0.1, stall=500ms/5s)';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;

function durationMs(text: string | undefined): number | undefined {
  const m = text === undefined ? null : DURATION.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

function share(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 0 && n <= 1 ? n : undefined;
}

/** Parses one `--fault` value; throws ACTIVITY_CONFIG_INVALID naming the rule and the value found. */
export function parseFault(spec: string): Fault {
  const eq = spec.indexOf('=');
  const kind = eq === -1 ? spec : spec.slice(0, eq);
  const arg = eq === -1 ? '' : spec.slice(eq + 1);
  const bad = (rule: string): never => {
    throw new ActivityError('ACTIVITY_CONFIG_INVALID', `--fault ${JSON.stringify(spec)}: ${rule}; syntax: ${FAULT_SYNTAX}`);
  };
  switch (kind) {
    case 'latency': {
      const [d, s] = arg.split('@');
      const delayMs = durationMs(d);
      const sh = s === undefined ? 1 : share(s);
      if (delayMs === undefined) return bad(`the delay must be a duration such as 200ms, but is ${JSON.stringify(d)}`);
      if (sh === undefined) return bad(`the share must be a number from 0 to 1, but is ${JSON.stringify(s)}`);
      return { kind, delayMs, share: sh };
    }
    case 'error': {
      const rate = share(arg);
      if (rate === undefined) return bad(`the rate must be a number from 0 to 1, but is ${JSON.stringify(arg)}`);
      return { kind, rate };
    }
    case 'stall': {
      const [d, p] = arg.split('/');
      const stallMs = durationMs(d);
      const everyMs = durationMs(p);
      if (stallMs === undefined || everyMs === undefined || stallMs <= 0 || stallMs >= everyMs) {
        return bad(`must be STALL/PERIOD with 0 < STALL < PERIOD, e.g. 500ms/5s, but is ${JSON.stringify(arg)}`);
      }
      return { kind, stallMs, everyMs };
    }
    case 'drop': {
      if (!/^\d+$/.test(arg)) return bad(`the count must be a non-negative integer, but is ${JSON.stringify(arg)}`);
      return { kind, count: Number(arg) };
    }
    case 'slow-insert': {
      const delayMs = durationMs(arg);
      if (delayMs === undefined) return bad(`the delay must be a duration such as 300ms, but is ${JSON.stringify(arg)}`);
      return { kind, delayMs };
    }
    case 'insert-rate': {
      if (!/^\d+(\.\d+)?$/.test(arg) || Number(arg) <= 0) return bad(`the rate must be a positive number of events per second, but is ${JSON.stringify(arg)}`);
      return { kind, eventsPerSec: Number(arg) };
    }
    default:
      return bad(`unknown fault kind ${JSON.stringify(kind)}`);
  }
}

/** Applies the configured faults; one per target. Counters are exposed as metrics by the caller. */
export class FaultInjector {
  private latencyAcc = 0;
  private errorAcc = 0;
  private dropsLeft: number;
  private readonly startedMs: number;
  private readonly latency: Extract<Fault, { kind: 'latency' }> | undefined;
  private readonly error: Extract<Fault, { kind: 'error' }> | undefined;
  private readonly stall: Extract<Fault, { kind: 'stall' }> | undefined;
  /** Extra time each batch insert takes (slow-insert), ms. */
  readonly insertDelayMs: number;
  /** Most events the writer stores per second (insert-rate), 0 for no limit: a known capacity. */
  readonly insertRatePerSec: number;

  constructor(readonly faults: readonly Fault[], nowMs: number) {
    const find = <K extends Fault['kind']>(k: K) => faults.find((f): f is Extract<Fault, { kind: K }> => f.kind === k);
    this.latency = find('latency');
    this.error = find('error');
    this.stall = find('stall');
    this.dropsLeft = find('drop')?.count ?? 0;
    this.insertDelayMs = find('slow-insert')?.delayMs ?? 0;
    this.insertRatePerSec = find('insert-rate')?.eventsPerSec ?? 0;
    this.startedMs = nowMs;
  }

  /** How long to hold an API request before handling it: added latency plus any stall window. */
  requestDelayMs(nowMs: number): number {
    let delay = 0;
    if (this.latency) {
      this.latencyAcc += this.latency.share;
      if (this.latencyAcc >= 1 - 1e-9) {
        this.latencyAcc -= 1;
        delay += this.latency.delayMs;
      }
    }
    if (this.stall) {
      const phase = (nowMs - this.startedMs) % this.stall.everyMs;
      if (phase < this.stall.stallMs) delay += this.stall.stallMs - phase;
    }
    return delay;
  }

  /** Whether this API request fails with an injected 500. */
  failRequest(): boolean {
    if (!this.error) return false;
    this.errorAcc += this.error.rate;
    if (this.errorAcc >= 1 - 1e-9) {
      this.errorAcc -= 1;
      return true;
    }
    return false;
  }

  /** Of `n` events just acknowledged with 202, how many to discard (the `drop` budget). */
  takeDrops(n: number): number {
    const d = Math.min(n, this.dropsLeft);
    this.dropsLeft -= d;
    return d;
  }

  /** Gives back drops taken for events that were then not acknowledged (queue full). */
  returnDrops(n: number): void {
    this.dropsLeft += n;
  }
}
