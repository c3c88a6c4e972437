import type { RecoveryResult } from './recovery-watcher.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One line on how the system recovered after the load, for the person running the test. */
export function describeRecovery(r: RecoveryResult, backlogName: string | undefined): string {
  const parts: string[] = [];
  if (backlogName !== undefined) {
    const peak = r.peakBacklog === undefined ? '' : `, peak ${r.peakBacklog}`;
    parts.push(
      r.backlogDrainMs === undefined
        ? `${backlogName} not back to ${r.baseline.backlog ?? 0}${peak}`
        : `${backlogName} back to ${r.baseline.backlog ?? 0} after ${seconds(r.backlogDrainMs)}${peak}`,
    );
  }
  if (r.baseline.latencyP95Ms !== undefined) {
    const level = `pre-load p95 ${r.baseline.latencyP95Ms.toFixed(1)} ms`;
    parts.push(r.latencyMs === undefined ? `probe latency not back to ${level}` : `probe latency back to ${level} after ${seconds(r.latencyMs)}`);
  }
  const head = r.complete ? `recovered ${seconds(r.recoveryMs)} after the load` : `not recovered ${seconds(r.recoveryMs)} after the load`;
  return `recovery: ${head} (${parts.join('; ')})`;
}
