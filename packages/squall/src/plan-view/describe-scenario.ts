import type { ResolvedScenario } from '../config/types.js';
import { maxVUsOf, scenarioDurationMs } from '../executors/plan.js';

/** A duration in k6's short style: 90000 -> "1m30s", 500 -> "500ms". */
export function shortDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}

function perUnit(rate: number, timeUnitMs: number): string {
  return `${rate}/${timeUnitMs === 1000 ? 's' : shortDuration(timeUnitMs)}`;
}

/** One line on what a scenario does, in k6's words: "5 looping VUs for 10s (gracefulStop: 30s)". */
export function describeScenario(s: ResolvedScenario): string {
  const stop = `gracefulStop: ${shortDuration(s.gracefulStopMs)}`;
  const start = s.startTimeMs > 0 ? `, startTime: ${shortDuration(s.startTimeMs)}` : '';
  const exec = s.exec !== 'default' ? `, exec: ${s.exec}` : '';
  const tail = `(${stop}${start}${exec})`;
  switch (s.executor) {
    case 'shared-iterations':
      return `${s.iterations} iterations shared among ${s.vus} VUs (maxDuration: ${shortDuration(s.maxDurationMs)}, ${tail.slice(1)}`;
    case 'per-vu-iterations':
      return `${s.iterations} iterations for each of ${s.vus} VUs (maxDuration: ${shortDuration(s.maxDurationMs)}, ${tail.slice(1)}`;
    case 'constant-vus':
      return `${s.vus} looping VUs for ${shortDuration(s.durationMs)} ${tail}`;
    case 'ramping-vus':
      return `Up to ${maxVUsOf(s)} looping VUs for ${shortDuration(s.stages.reduce((a, st) => a + st.durationMs, 0))} over ${s.stages.length} stages (gracefulRampDown: ${shortDuration(s.gracefulRampDownMs)}, ${tail.slice(1)}`;
    case 'constant-arrival-rate':
      return `${perUnit(s.rate, s.timeUnitMs)} iterations for ${shortDuration(s.durationMs)} (maxVUs: ${s.preAllocatedVUs}-${s.maxVUs}, ${tail.slice(1)}`;
    case 'ramping-arrival-rate':
      return `Up to ${perUnit(Math.max(s.startRate, ...s.stages.map((st) => st.target)), s.timeUnitMs)} iterations for ${shortDuration(scenarioDurationMs(s))} over ${s.stages.length} stages (maxVUs: ${s.preAllocatedVUs}-${s.maxVUs}, ${tail.slice(1)}`;
  }
}
