import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTest, type RunTestResult } from '../engine/run-test.js';
import { SquallError } from '../errors.js';
import { SuiteError } from './errors.js';
import { judgeSlo, slosFor, type SloRow } from './slo.js';
import { durationMs, soakRows } from './soak-gate.js';
import type { LoadedSuite, SuiteEnvironment, SuiteRun } from './types.js';

/** squall's own command line, for back-fill commands (`${SQUALL} backfill ...`). */
const SQUALL_BIN = fileURLToPath(new URL('../../bin/squall.js', import.meta.url));

/** What one suite run is asked to do. */
export interface SuiteRunInput {
  readonly loaded: LoadedSuite;
  readonly envName?: string | undefined;
  readonly only?: readonly string[] | undefined;
  readonly vus?: number | undefined;
  readonly duration?: string | undefined;
  readonly baseUrl?: string | undefined;
  readonly allowProduction?: boolean | undefined;
  /** Aborted (Ctrl-C): the current test stops gracefully, nothing else starts. */
  readonly stopSignal?: AbortSignal | undefined;
  readonly log?: ((line: string) => void) | undefined;
  /** Process environment, for ${VAR} substitution. */
  readonly processEnv?: NodeJS.ProcessEnv | undefined;
}

export interface TestOutcome {
  readonly name: string;
  readonly kind: 'smoke' | 'test';
  readonly result: RunTestResult;
  readonly slo: readonly SloRow[];
  readonly ok: boolean;
  /** The script's absolute path (the run's results dir records it). */
  readonly script: string;
}

export interface SuiteOutcome {
  readonly name: string;
  readonly envName: string | undefined;
  readonly baseUrl: string | undefined;
  readonly startedAt: Date;
  readonly ready: readonly string[];
  readonly data: { count: number; min: number; backfilled: boolean; before?: number; events?: number; countedAfterMs?: number } | undefined;
  readonly tests: readonly TestOutcome[];
  readonly skipped: readonly { name: string; why: string }[];
  readonly interrupted: boolean;
  readonly smokeFailed: boolean;
}

/** Runs a loaded suite: services, ready checks, smoke gate, data, tests. Throws SuiteError when it cannot run. */
export async function runSuite(input: SuiteRunInput): Promise<SuiteOutcome> {
  const { suite, dir } = input.loaded;
  const log = input.log ?? (() => {});
  const env = pickEnvironment(input);
  const vars: Record<string, string> = { SQUALL: `"${process.execPath}" "${SQUALL_BIN}"`, SUITE_DIR: dir, ...(env?.vars ?? {}) };
  const services: { close(): Promise<void> }[] = [];
  const startedAt = new Date();
  try {
    for (const s of suite.services ?? []) services.push(await startService(s, vars, log));
    const baseUrl = input.baseUrl ?? env?.baseUrl ?? vars['BASE_URL'];
    if (baseUrl) vars['BASE_URL'] = baseUrl;
    const sub = (s: string) => substitute(s, vars, input.processEnv ?? process.env);
    guardProduction(input, env);
    const ready = await checkReady(suite.ready ?? [], sub, log);
    const out = { name: suite.name, envName: input.envName, baseUrl, startedAt, ready, data: undefined as SuiteOutcome['data'], tests: [] as TestOutcome[], skipped: [] as { name: string; why: string }[], interrupted: false, smokeFailed: false };
    const wanted = (n: string) => !input.only || input.only.includes('all') || input.only.includes(n);
    const runOne = async (name: string, kind: 'smoke' | 'test', r: SuiteRun): Promise<TestOutcome> => {
      log(`suite: running ${kind} ${name} (${r.script})`);
      const result = await runTest({
        script: resolve(dir, r.script),
        options: r.observe ? { ...(r.options ?? {}), observe: JSON.parse(sub(JSON.stringify(r.observe))) as unknown } : r.options,
        overrides: { ...(input.vus ?? r.vus ? { vus: input.vus ?? r.vus } : {}), ...(input.duration ?? r.duration ? { duration: input.duration ?? r.duration } : {}) },
        env: { ...vars, ...Object.fromEntries(Object.entries(r.env ?? {}).map(([k, v]) => [k, sub(v)])) },
        stopSignal: input.stopSignal,
      });
      const slo = slosFor(r.slo, env?.slo?.[name]).map((s) => judgeSlo(s, result.summary));
      if (r.soak) slo.push(...soakRows(result.timeSeries, result.summary.state.testRunDurationMs, r.soak));
      const ok = result.thresholdsOk && !slo.some((x) => x.status === 'FAIL');
      log(`suite: ${kind} ${name} ${ok ? 'passed' : 'FAILED'}`);
      return { name, kind, result, slo, ok, script: resolve(dir, r.script) };
    };
    const stopped = () => input.stopSignal?.aborted === true;
    if (suite.smoke && wanted('smoke')) {
      const smoke = await runOne(suite.smoke.name ?? 'smoke', 'smoke', suite.smoke);
      out.tests.push(smoke);
      if (!smoke.ok) out.smokeFailed = true;
    }
    if (suite.data && !out.smokeFailed && !stopped() && (!input.only || input.only.some((n) => n !== 'smoke'))) out.data = await ensureData(suite.data, sub, log);
    for (const group of parallelGroups(suite.tests.filter((t) => wanted(t.name)))) {
      if (out.smokeFailed) out.skipped.push(...group.map((t) => ({ name: t.name, why: 'the smoke test failed' })));
      else if (stopped()) out.skipped.push(...group.map((t) => ({ name: t.name, why: 'interrupted' })));
      else {
        if (group.length > 1) log(`suite: running ${group.map((t) => t.name).join(', ')} in parallel`);
        out.tests.push(...(await Promise.all(group.map((t) => runOne(t.name, 'test', t)))));
      }
    }
    out.interrupted = stopped();
    return out;
  } finally {
    for (const s of services.reverse()) await s.close().catch(() => {});
  }
}

/** Consecutive tests with the same `parallel` mark (true, or a group name) form one group; others run alone. */
export function parallelGroups<T extends SuiteRun>(tests: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const t of tests) {
    const last = groups.at(-1);
    const mark = t.parallel === false ? undefined : t.parallel;
    if (mark !== undefined && last && last[0]!.parallel === mark) last.push(t);
    else groups.push([t]);
  }
  return groups;
}

function pickEnvironment(input: SuiteRunInput): SuiteEnvironment | undefined {
  const envs = input.loaded.suite.environments ?? {};
  if (input.envName === undefined) return undefined;
  const env = envs[input.envName];
  if (!env) throw new SuiteError([`--env ${input.envName}: no such environment in ${input.loaded.file} (it has: ${Object.keys(envs).join(', ') || 'none'})`]);
  return env;
}

function guardProduction(input: SuiteRunInput, env: SuiteEnvironment | undefined): void {
  if (!env?.production || input.allowProduction) return;
  const heavy = input.loaded.suite.tests.filter((t) => !input.only || input.only.includes('all') || input.only.includes(t.name));
  if (heavy.length === 0) return;
  throw new SuiteError([
    `environment "${input.envName}" is marked production: only the smoke test may run there, but this run would start ${heavy.map((t) => t.name).join(', ')}. ` +
      'Run `--only smoke`, or pass --allow-production if load on production is intended.',
  ]);
}

export function substitute(s: string, vars: Record<string, string>, penv: NodeJS.ProcessEnv): string {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (m, k: string, dflt: string | undefined) => vars[k] ?? penv[k] ?? dflt ?? m);
}

async function checkReady(checks: NonNullable<LoadedSuite['suite']['ready']>, sub: (s: string) => string, log: (l: string) => void): Promise<string[]> {
  const lines: string[] = [];
  for (const c of checks) {
    const url = sub(c.url);
    const name = c.name ?? url;
    const ms = parseDurationMs(c.timeout ?? '10s');
    const want = c.status ?? 200;
    const deadline = Date.now() + ms;
    let got = 'no answer';
    for (;;) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(100, deadline - Date.now())) });
        await res.arrayBuffer();
        if (res.status === want) break;
        got = `status ${res.status}`;
      } catch (err) {
        got = (err as Error).name === 'TimeoutError' ? `no answer within ${c.timeout ?? '10s'}` : String((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message);
      }
      if (Date.now() >= deadline) throw new SuiteError([`not ready: check "${name}" (GET ${url}) wanted status ${want}, got ${got} within ${c.timeout ?? '10s'}`]);
      await new Promise((r) => setTimeout(r, 200));
    }
    log(`suite: ready: ${name}`);
    lines.push(`${name}: ${want}`);
  }
  return lines;
}

async function ensureData(data: NonNullable<LoadedSuite['suite']['data']>, sub: (s: string) => string, log: (l: string) => void) {
  const count = await countQuery(data.count, sub);
  if (count >= data.min) {
    log(`suite: data: ${count} events >= ${data.min}, back-fill skipped`);
    return { count, min: data.min, backfilled: false };
  }
  log(`suite: data: ${count} events < ${data.min}, back-filling`);
  const code = await new Promise<number>((res) => {
    const child = spawn(sub(data.backfill), { shell: true, stdio: 'inherit' });
    child.on('exit', (c) => res(c ?? 1));
  });
  if (code !== 0) throw new SuiteError([`data: the back-fill command exited with ${code}: ${data.backfill}`]);
  // A back-fill that replays through the ingest endpoint returns once the target has accepted the
  // events (202), not once they are stored: the target inserts in batches. Count until the store
  // holds min (and, when declared, `events` more than before), then until the count stops growing.
  const began = Date.now();
  const settleMs = durationMs(data.settle ?? '30s') ?? 30_000;
  const want = Math.max(data.min, data.events !== undefined ? count + data.events : 0);
  const after = await settledCount(() => countQuery(data.count, sub), want, began + settleMs);
  const waited = Date.now() - began;
  log(`suite: data: ${after} events after the back-fill (${after - count} added${data.events !== undefined ? ` of ${data.events} declared` : ''}; counted ${waited} ms after it ended)`);
  return { count: after, min: data.min, backfilled: true, before: count, ...(data.events !== undefined ? { events: data.events } : {}), countedAfterMs: waited };
}

/** Counts until the answer reaches `want` and two reads 500 ms apart agree, or the deadline passes. */
export async function settledCount(read: () => Promise<number>, want: number, deadline: number): Promise<number> {
  let n = await read();
  for (;;) {
    if (Date.now() >= deadline) return n;
    await new Promise((r) => setTimeout(r, n < want ? 250 : 500));
    const next = await read();
    if (n >= want && next === n) return n;
    n = next;
  }
}

async function countQuery(c: { url: string; field?: string; headers?: Record<string, string> }, sub: (s: string) => string): Promise<number> {
  const url = sub(c.url);
  const headers = Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k, sub(v)]));
  let body: unknown;
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`status ${res.status}`);
    body = await res.json();
  } catch (err) {
    throw new SuiteError([`data.count: GET ${url} failed: ${(err as Error).message}`]);
  }
  const v = (c.field ?? 'count').split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], body);
  const n = Number(v);
  if (!Number.isFinite(n)) throw new SuiteError([`data.count: GET ${url}: field "${c.field ?? 'count'}" is not a number (got ${JSON.stringify(v)})`]);
  return n;
}

async function startService(s: { name: string; activity?: Record<string, unknown>; command?: string }, vars: Record<string, string>, log: (l: string) => void) {
  if (s.activity) {
    const pkg = 'squall-activity';
    let mod: { startActivity(o: Record<string, unknown>): Promise<{ url: string; platformToken: string; close(): Promise<void> }> };
    try {
      mod = await import(pkg);
    } catch (err) {
      throw new SuiteError([`services.${s.name}: the activity target is not installed (npm install squall-activity): ${(err as Error).message}`]);
    }
    let h;
    try {
      h = await mod.startActivity({ port: 0, ...s.activity });
    } catch (err) {
      throw new SuiteError([`services.${s.name}: the activity target did not start: ${(err as Error).message}`]);
    }
    vars['BASE_URL'] ??= h.url;
    vars['ACTIVITY_URL'] = h.url;
    vars['ACTIVITY_PLATFORM_TOKEN'] = h.platformToken;
    log(`suite: service ${s.name}: activity target at ${h.url}`);
    return h;
  }
  if (s.command) {
    const child: ChildProcess = spawn(s.command, { shell: true, stdio: 'ignore', detached: true });
    log(`suite: service ${s.name}: started ${s.command}`);
    return { close: async () => void (child.pid && process.kill(-child.pid, 'SIGTERM')) };
  }
  throw new SquallError('SQUALL_CONFIG_INVALID', `services.${s.name}: give activity or command`);
}

function parseDurationMs(s: string): number {
  return durationMs(s) ?? 10_000;
}
