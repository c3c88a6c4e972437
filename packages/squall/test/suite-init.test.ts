import { spawnSync } from 'node:child_process';
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

it('squall init scaffolds a valid suite, one script per type, a GitHub workflow and a GitLab CI file', () => {
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
