import type { NumberSpec, TimeSpec } from '../option-spec.js';

/** The time window options every timestamped kind shares. */
export const timeOptions = {
  from: { type: 'time', cliDefault: '2025-01-01T00:00:00Z', doc: 'start of the time window (scripts: unset = live clock)' } satisfies TimeSpec,
  to: { type: 'time', cliDefault: '2025-01-08T00:00:00Z', doc: 'end of the time window, exclusive' } satisfies TimeSpec,
  rhythm: { type: 'number', default: 0.5, min: 0, max: 0.95, doc: 'daily rhythm amplitude: 0 flat; 0.5 makes the 14:00 UTC peak 3x the 02:00 trough' } satisfies NumberSpec,
} as const;
