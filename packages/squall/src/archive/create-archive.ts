import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { create } from 'tar';
import type { OptionOverrides } from '../config/resolve.js';
import { bundleForPods } from '../distributed/index.js';
import type { ConfigProblem } from '../errors.js';
import { inspectScript } from '../inspect/index.js';
import { isSecretName } from '../outputs/redact.js';
import { SQUALL_VERSION } from '../version.js';
import { ARCHIVE_FORMAT, type ArchiveManifest } from './manifest.js';
import { recordReads } from './record-reads.js';

/** What `squall archive` packs. */
export interface ArchiveRequest {
  readonly scriptPath: string;
  readonly outPath: string;
  readonly baseOptions?: Record<string, unknown> | undefined;
  readonly overrides: OptionOverrides;
  readonly problems: readonly ConfigProblem[];
  /** The script's whole environment while it is loaded (init code may read __ENV). */
  readonly env: Readonly<Record<string, string>>;
  /** The `-e` values; stored in the archive except secret-looking names. */
  readonly cliEnv: Readonly<Record<string, string>>;
}

function commonDir(paths: readonly string[]): string {
  let root = paths[0] as string;
  for (const p of paths) while (p !== root && !p.startsWith(root.endsWith(sep) ? root : root + sep)) root = dirname(root);
  return root;
}

function posix(p: string): string {
  return p.split(sep).join('/');
}

/**
 * Writes one tar: `manifest.json` (format, squall version, original names, options) and under
 * `files/` the bundled script with every data file its init code read, at the same places
 * relative to each other, so `open('data/users.csv')` finds its file after extraction.
 */
export async function createArchive(req: ArchiveRequest): Promise<{ manifest: ArchiveManifest; warnings: string[] }> {
  const scriptPath = resolve(req.scriptPath);
  const { result: inspected, paths } = await recordReads(() =>
    inspectScript({ script: scriptPath, baseOptions: req.baseOptions, overrides: req.overrides, problems: req.problems, env: req.env }),
  );
  const data = paths.filter((p) => p !== scriptPath);
  const bundle = await bundleForPods(scriptPath);
  const root = commonDir([dirname(scriptPath), ...data.map((p) => dirname(p))]);
  const entry = `files/${posix(relative(root, join(dirname(scriptPath), basename(scriptPath).replace(/\.[cm]?[jt]sx?$/i, '.js'))))}`;
  const warnings = [...inspected.warnings];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.cliEnv)) {
    if (isSecretName(k)) warnings.push(`-e ${k} looks like a secret and is not stored in the archive; give it again with -e when running the archive`);
    else env[k] = v;
  }
  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    squallVersion: SQUALL_VERSION,
    createdAt: new Date().toISOString(),
    script: { original: scriptPath, entry },
    files: data.map((p) => ({ path: `files/${posix(relative(root, p))}`, original: p, bytes: readFileSync(p).length })),
    options: { base: req.baseOptions, overrides: req.overrides as Record<string, unknown>, resolved: inspected.options },
    env,
  };
  const staging = await mkdtemp(join(tmpdir(), 'squall-archive-'));
  try {
    const put = async (path: string, content: string | Buffer) => {
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), content);
    };
    await put(entry, bundle);
    for (const f of manifest.files) await put(f.path, readFileSync(f.original));
    await put('manifest.json', `${JSON.stringify(manifest, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
    await mkdir(dirname(req.outPath), { recursive: true });
    // manifest.json first: a reader (or `tar tf`) sees what it is before the files.
    await create({ file: req.outPath, cwd: staging, portable: true }, ['manifest.json', 'files']);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { manifest, warnings };
}
