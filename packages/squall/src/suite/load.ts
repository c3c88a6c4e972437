import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { SuiteError } from './errors.js';
import { ENVIRONMENTS_FILE_SCHEMA, SUITE_SCHEMA } from './schema.js';
import type { LoadedSuite, Suite, SuiteEnvironment } from './types.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const validate: ValidateFunction = ajv.compile(SUITE_SCHEMA);
const validateEnvironments: ValidateFunction = ajv.compile(ENVIRONMENTS_FILE_SCHEMA);

/** Reads, parses and validates a suite file; throws SuiteError listing every problem as file:line: key: what. */
export function loadSuite(file: string): LoadedSuite {
  const path = resolve(file);
  if (!existsSync(path)) throw new SuiteError([`${file}: no such suite file (create one with \`squall init\`)`]);
  const { data, lineOf } = parseValidated(file, readFileSync(path, 'utf8'), validate);
  const dir = dirname(path);
  const raw = data as Omit<Suite, 'environments'> & { environments?: Suite['environments'] | string };
  let environments = raw.environments;
  if (typeof environments === 'string') {
    const envPath = resolve(dir, environments);
    if (!existsSync(envPath)) throw new SuiteError([`${file}:${lineOf('/environments')}: environments: no such file: ${environments} (paths are relative to the suite file)`]);
    environments = parseValidated(envPath, readFileSync(envPath, 'utf8'), validateEnvironments).data as Record<string, SuiteEnvironment>;
  }
  const { environments: _given, ...rest } = raw;
  const suite: Suite = { ...rest, ...(environments ? { environments } : {}) };
  checkRuns(file, suite, dir, lineOf);
  return { suite, file: path, dir };
}

/** YAML text parsed and validated; every problem is thrown as `file:line: key: what`. */
function parseValidated(file: string, text: string, check: ValidateFunction): { data: unknown; lineOf: (p: string) => number } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new SuiteError(doc.errors.map((e) => `${file}:${lc.linePos(e.pos[0]).line}: invalid YAML: ${e.message.split('\n')[0]}`));
  }
  const data = doc.toJS() as unknown;
  const lineOf = (instancePath: string): number => {
    const keys = instancePath.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: unknown = doc.contents;
    let line = 1;
    for (const k of keys) {
      const next = childOf(node, k);
      if (!next) break;
      node = next.node;
      if (next.offset !== undefined) line = lc.linePos(next.offset).line;
    }
    return line;
  };
  if (!check(data)) throw new SuiteError((check.errors ?? []).map((e) => describe(file, e, lineOf)));
  return { data, lineOf };
}

function checkRuns(file: string, suite: Suite, dir: string, lineOf: (p: string) => number): void {
  const problems: string[] = [];
  const runs = [...(suite.smoke ? [['smoke', suite.smoke] as const] : []), ...suite.tests.map((t, i) => [`tests/${i}`, t] as const)];
  for (const [at, r] of runs) {
    if (!existsSync(resolve(dir, r.script))) problems.push(`${file}:${lineOf(`/${at}/script`)}: ${at.replace('/', '[')}${at.includes('/') ? ']' : ''}.script: script not found: ${r.script} (paths are relative to the suite file)`);
  }
  const names = new Set<string>();
  suite.tests.forEach((t, i) => {
    if (names.has(t.name)) problems.push(`${file}:${lineOf(`/tests/${i}/name`)}: tests[${i}].name: duplicate test name "${t.name}"`);
    names.add(t.name);
  });
  if (problems.length > 0) throw new SuiteError(problems);
}

function childOf(node: unknown, key: string): { node: unknown; offset: number | undefined } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      if (k && String((k as { value?: unknown }).value) === key) return { node: pair.value, offset: k.range?.[0] };
    }
  }
  if (isSeq(node)) {
    const item = node.items[Number(key)] as Node | undefined;
    if (item) return { node: item, offset: item.range?.[0] };
  }
  return undefined;
}

function describe(file: string, e: ErrorObject, lineOf: (p: string) => number): string {
  const key = e.instancePath.split('/').slice(1).map((k) => (/^\d+$/.test(k) ? `[${k}]` : `.${k}`)).join('').replace(/^\./, '') || '(top level)';
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    const at = `${e.instancePath}/${extra}`;
    return `${file}:${lineOf(at)}: ${key === '(top level)' ? extra : `${key}.${extra}`}: unknown key "${extra}"`;
  }
  return `${file}:${lineOf(e.instancePath)}: ${key}: ${e.message ?? 'invalid'}`;
}
