import { appendFileSync } from 'node:fs';
import { IncomingWebhook } from '@slack/webhook';
import { overallStatus } from './report.js';
import type { SuiteOutcome } from './runner.js';
import type { Suite } from './types.js';

/** GitHub's limit for one step's job summary. */
export const GITHUB_SUMMARY_LIMIT = 1024 * 1024;

/** The JSON the generic webhook receives (documented in docs/suites.md). */
export function notifyPayload(suite: Suite, o: SuiteOutcome, runId: string) {
  return {
    suite: suite.name,
    runId,
    status: overallStatus(o),
    env: o.envName ?? null,
    tests: o.tests.map((t) => ({ name: t.name, ok: t.ok, slo: t.slo })),
    skipped: o.skipped,
    interrupted: o.interrupted,
  };
}

/** Sends the configured notifications; returns warnings (a failed notification never fails the suite). */
export async function notifyAll(suite: Suite, o: SuiteOutcome, runId: string, md: string, env: NodeJS.ProcessEnv, sub: (s: string) => string): Promise<string[]> {
  const n = suite.notify;
  const warnings: string[] = [];
  if (!n) return warnings;
  const payload = notifyPayload(suite, o, runId);
  const unset = (key: string, raw: string | undefined) => {
    if (!raw) return true;
    const url = sub(raw);
    if (url && !url.includes('${')) return false;
    warnings.push(`notify.${key}: ${raw} is not set; nothing sent`);
    return true;
  };
  if (!unset('slack', n.slack)) {
    try {
      const failed = payload.tests.filter((t) => !t.ok).map((t) => t.name);
      await new IncomingWebhook(sub(n.slack!)).send({
        text: `squall suite ${suite.name} (${payload.env ?? 'default'}): ${payload.status}${failed.length ? ` — failed: ${failed.join(', ')}` : ''}`,
      });
    } catch (err) {
      warnings.push(`notify.slack: ${(err as Error).message}`);
    }
  }
  if (!unset('webhook', n.webhook)) {
    try {
      const res = await fetch(sub(n.webhook!), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(10_000) });
      if (!res.ok) warnings.push(`notify.webhook: status ${res.status}`);
    } catch (err) {
      warnings.push(`notify.webhook: ${(err as Error).message}`);
    }
  }
  if (n.githubSummary && env['GITHUB_STEP_SUMMARY']) {
    const tail = '\n\n(report truncated to GitHub\'s 1 MiB job-summary limit)\n';
    let text = md;
    if (Buffer.byteLength(text) > GITHUB_SUMMARY_LIMIT) text = Buffer.from(text).subarray(0, GITHUB_SUMMARY_LIMIT - Buffer.byteLength(tail)).toString('utf8').replace(/\uFFFD$/, '') + tail;
    appendFileSync(env['GITHUB_STEP_SUMMARY'], text);
  }
  return warnings;
}
