import { mkdtemp, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Message, type Plugin } from 'esbuild';
import { ScriptLoadError } from '../errors.js';
import { buildK6Bundle } from './k6-bundle.js';
import { looksLikeK6 } from './k6-modules.js';

/** A bundled script on disk, ready for `import()` in any thread. */
export interface BundledScript {
  /** Absolute path of the user's script. */
  readonly sourcePath: string;
  /** file:// URL of the ESM bundle. */
  readonly bundleUrl: string;
  /** True for a k6 script (it imports k6 modules): transformed to async, one module instance per VU (docs/k6.md). */
  readonly k6: boolean;
  /** Removes the bundle's temporary directory. */
  dispose(): Promise<void>;
}

// `squall` in a script means the script API of *this* installation, wherever the script lives.
const entries: Readonly<Record<string, string>> = {
  squall: new URL('../script-entry.js', import.meta.url).href,
  'squall/generators': new URL('../generators-entry.js', import.meta.url).href,
};

const squallResolver: Plugin = {
  name: 'squall-api',
  setup(b) {
    b.onResolve({ filter: /^squall(\/generators)?$/ }, (args) => ({ path: entries[args.path] ?? '', external: true }));
  },
};

function location(msg: Message): string | undefined {
  const loc = msg.location;
  if (!loc) return undefined;
  return `${loc.file}:${loc.line}:${loc.column + 1}`;
}

/**
 * Bundles a `.ts`/`.js` ES module with its relative imports and npm packages into one ESM file.
 * Throws ScriptLoadError (file:line:column) when the script cannot be read or does not compile.
 */
export async function bundleScript(scriptPath: string): Promise<BundledScript> {
  const sourcePath = resolve(scriptPath);
  try {
    const st = await stat(sourcePath);
    if (!st.isFile()) throw new Error('not a file');
  } catch {
    throw new ScriptLoadError(`cannot read the script: no such file ${sourcePath}`, undefined);
  }
  const k6 = looksLikeK6(await readFile(sourcePath, 'utf8'));
  const dir = await mkdtemp(join(tmpdir(), 'squall-bundle-'));
  const outfile = join(dir, `${basename(sourcePath).replace(/\.[cm]?[jt]sx?$/, '')}.bundle.mjs`);
  try {
    if (k6) await writeFile(outfile, await buildK6Bundle(sourcePath, outfile, dirname(sourcePath)));
    else await buildNative(sourcePath, outfile);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (err instanceof ScriptLoadError) throw err;
    const errors = (err as { errors?: Message[] }).errors;
    const first = errors?.[0];
    if (first !== undefined) {
      const more = errors!.length > 1 ? ` (and ${errors!.length - 1} more error${errors!.length > 2 ? 's' : ''})` : '';
      throw new ScriptLoadError(`${first.text}${more}`, location(first), { cause: err });
    }
    throw new ScriptLoadError(`cannot bundle the script: ${(err as Error).message}`, sourcePath, { cause: err });
  }
  return {
    sourcePath,
    bundleUrl: pathToFileURL(outfile).href,
    k6,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function buildNative(sourcePath: string, outfile: string): Promise<void> {
  const result = await build({
      entryPoints: [sourcePath],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      outfile,
      sourcemap: 'inline',
      logLevel: 'silent',
      absWorkingDir: dirname(sourcePath),
      plugins: [squallResolver],
      // Packages that cannot be bundled (native addons) still load from the script's node_modules.
      banner: {
        js: `import { createRequire as __squallCreateRequire } from 'node:module'; const require = __squallCreateRequire(${JSON.stringify(pathToFileURL(sourcePath).href)});`,
      },
    });
  const file = result.outputFiles[0];
  if (file === undefined) throw new ScriptLoadError('esbuild produced no output', sourcePath);
  await writeFile(outfile, file.contents);
}

/** Path of the squall package root (for resolving its own dist files). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
