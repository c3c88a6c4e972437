import { readFileSync } from 'node:fs';
import { IGNORED_K6_KEYS, OPTION_KEYS } from '../config/option-keys.js';
import type { ConfigProblem } from '../errors.js';
import { suggestName } from '../thresholds/suggest.js';

/** A `--config FILE`: k6's config file shape (the script options object, plus `out`). */
export interface ConfigFile {
  readonly path: string;
  /** Script options; the script's own `options` win over these, key by key. */
  readonly options: Record<string, unknown>;
  /** `out`: outputs used when neither --out nor SQUALL_OUT gives any. */
  readonly out: string[] | undefined;
  readonly warnings: string[];
}

/** Keys of k6's config file that are not options; accepted and ignored. */
const K6_FILE_ONLY_KEYS = ['collectors', 'linger', 'noUsageReport', 'webDashboard', 'local'];

function lineCol(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const col = position - before.lastIndexOf('\n');
  return `${line}:${col}`;
}

/** Reads and checks a config file; every problem (unreadable, bad JSON, unknown key) goes into `problems` with the file's name. */
export function readConfigFile(path: string, problems: ConfigProblem[]): ConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    problems.push({ path: '--config', message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; give the path of a JSON file` });
    return undefined;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? `${path}:${lineCol(text, Number(pos[1]))}` : path;
    problems.push({ path: where, message: `is not valid JSON (${msg.replace(/ in JSON at position \d+.*$/, '')}); the config file is JSON like {"vus": 10, "duration": "30s"}` });
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push({ path, message: 'must hold a JSON object of options, like {"vus": 10, "duration": "30s"}' });
    return undefined;
  }
  const options: Record<string, unknown> = {};
  const warnings: string[] = [];
  let out: string[] | undefined;
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (key === 'out') {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
        problems.push({ path: `${path}: out`, message: 'must be an output or a list of them, like ["json=out.json"]' });
      } else out = list;
    } else if (K6_FILE_ONLY_KEYS.includes(key)) {
      warnings.push(`${path}: ${key} is a k6 setting squall does not use; it is ignored`);
    } else if (OPTION_KEYS.includes(key) || IGNORED_K6_KEYS.includes(key)) {
      options[key] = value;
    } else {
      const hint = suggestName(key, [...OPTION_KEYS, 'out']);
      problems.push({ path: `${path}: ${key}`, message: `is not an option${hint ? ` (did you mean "${hint}"?)` : ''}; valid keys are: ${[...OPTION_KEYS, 'out'].join(', ')}` });
    }
  }
  return { path, options, out, warnings };
}
