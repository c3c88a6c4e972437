import type { MaxRateStep } from './max-rate.js';
import type { StepKind } from './max-rate-search.js';

/** One step as `squall max-rate` reports it when the step ends. */
export type ReportedStep = MaxRateStep & { readonly index: number; readonly rate: number; readonly kind: StepKind; readonly durationMs: number };

function rateText(rate: number, timeUnitMs: number): string {
  return timeUnitMs === 1000 ? `${rate}/s` : `${rate} per ${timeUnitMs / 1000}s`;
}

function figure(v: number | undefined): string {
  if (v === undefined) return 'no value';
  return Number.isInteger(v) ? String(v) : Math.abs(v) < 1 ? v.toFixed(4) : v.toFixed(1);
}

/**
 * The step line: a failing step leads with the thresholds that failed it, each with its own
 * figure (`http_req_failed rate<0.01: 0.0213`), so the line never shows only p95 while another
 * threshold is what failed. p95 and the error rate follow as context.
 */
export function formatMaxRateStep(s: ReportedStep, timeUnitMs: number): string {
  const head = `step ${s.index + 1} ${s.kind.padEnd(7)} ${rateText(s.rate, timeUnitMs).padStart(10)} for ${s.durationMs / 1000}s:`;
  if (s.interrupted) return `${head} stopped`;
  const failed = s.thresholds.filter((t) => !t.ok);
  const facts = [`achieved ${s.achievedRatePerSec.toFixed(1)} it/s`];
  if (s.httpReqDurationP95Ms !== undefined) facts.push(`p95 ${s.httpReqDurationP95Ms.toFixed(1)} ms`);
  if (s.httpReqFailedRate !== undefined) facts.push(`failed ${(s.httpReqFailedRate * 100).toFixed(2)}%`);
  if (s.backlog !== undefined) facts.push(`backlog ${s.backlog.slopePerSec >= 0 ? '+' : ''}${s.backlog.slopePerSec.toFixed(1)}/s`);
  if (s.recoveryMs !== undefined) facts.push(`recovery ${(s.recoveryMs / 1000).toFixed(1)} s`);
  if (s.pass) return `${head} holds (${facts.join(', ')})`;
  const thresholdText = failed.map((t) => `${t.key} ${t.source}: ${figure(t.actual)}`);
  const others = s.reasons.filter((r) => !r.startsWith('threshold '));
  return `${head} FAILS on ${[...thresholdText, ...others].join('; ') || 'its thresholds'} (${facts.join(', ')})`;
}
