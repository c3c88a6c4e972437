/**
 * esbuild plugin for k6 scripts: resolves `k6` and `k6/*` specifiers and the jslib.k6.io URLs
 * squall implements to its own modules, reports any other k6 module or remote URL before
 * anything is sent (module, file:line), and runs the sync-to-async transform on every file of
 * the script (not on node_modules).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import { parse } from 'acorn';
import { transform, type Message, type Plugin } from 'esbuild';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { ACORN_OPTIONS, analyzeModule, exportNames, type ModuleFacts, type Node } from './k6-analysis.js';
import { transformK6Module } from './k6-transform.js';

/** k6 modules squall implements (src/k6/modules.ts has their objects). */
export const SUPPORTED_K6 = ['k6', 'k6/http', 'k6/metrics', 'k6/data', 'k6/execution', 'k6/encoding', 'k6/crypto', 'k6/timers', 'k6/html'];
const SUPPORTED_JSLIB = ['k6-utils', 'k6-summary', 'papaparse', 'uuid', 'url'];
export const NAMESPACE = 'squall-k6';

/** Why `specifier` cannot be used, or undefined when squall provides it. */
export function unsupportedReason(specifier: string): string | undefined {
  if (/^k6(\/|$)/.test(specifier)) {
    if (SUPPORTED_K6.includes(specifier)) return undefined;
    const what = specifier.startsWith('k6/experimental/')
      ? 'k6/experimental/* modules are not supported by squall'
      : specifier === 'k6/browser'
        ? 'k6/browser is not supported by squall (it drives HTTP, not browsers)'
        : specifier.startsWith('k6/x/')
          ? `the k6 extension module '${specifier}' is not supported by squall`
          : `the k6 module '${specifier}' is not supported by squall`;
    return `${what}; squall implements ${SUPPORTED_K6.join(', ')} (see docs/k6.md)`;
  }
  if (/^https?:\/\//.test(specifier)) {
    if (jslibName(specifier) !== undefined) return undefined;
    return `the remote module '${specifier}' is not available: squall downloads nothing and bundles its own versions of the jslib.k6.io modules ${SUPPORTED_JSLIB.join(', ')}; install an npm package or copy the file next to the script`;
  }
  return undefined;
}

/** `k6-utils` for `https://jslib.k6.io/k6-utils/1.4.0/index.js`, when squall has it. */
export function jslibName(url: string): string | undefined {
  const m = /^https:\/\/jslib\.k6\.io\/([^/]+)\//.exec(url);
  return m?.[1] !== undefined && SUPPORTED_JSLIB.includes(m[1]) ? m[1] : undefined;
}

/** Whether a script's source imports k6 modules (then it is bundled as a k6 script). */
export function looksLikeK6(source: string): boolean {
  return /(?:\bfrom\s*|\bimport\s*|\brequire\s*\(\s*)['"](?:k6(?:\/[^'"]*)?|https:\/\/jslib\.k6\.io\/[^'"]*)['"]/.test(source);
}

interface Prepared {
  readonly code: string;
  readonly facts: ModuleFacts;
  readonly errors: Message[];
}

const SCRIPT_FILE = /\.[cm]?[jt]sx?$/;
const EMPTY_FACTS: ModuleFacts = { blockingExports: new Set() };

async function resolveRelative(fromDir: string, spec: string): Promise<string | undefined> {
  const base = resolvePath(fromDir, spec);
  const candidates = [base, `${base}.js`, `${base}.ts`, `${base}.mjs`, base.replace(/\.js$/, '.ts'), `${base}/index.js`, `${base}/index.ts`];
  for (const c of candidates) {
    try {
      if ((await stat(c)).isFile()) return c;
    } catch {
      /* next */
    }
  }
  return undefined;
}

function importSources(ast: Node): { spec: string; node: Node }[] {
  const out: { spec: string; node: Node }[] = [];
  for (const s of ast.body as Node[]) {
    if ((s.type === 'ImportDeclaration' || s.type === 'ExportNamedDeclaration' || s.type === 'ExportAllDeclaration') && s.source) {
      out.push({ spec: String(s.source.value), node: s.source });
    }
  }
  return out;
}

/** The plugin; `state.exportNames` receives the entry's export names. */
export function k6Plugin(entry: string, state: { exportNames: string[] }): Plugin {
  const prepared = new Map<string, Promise<Prepared>>();
  const inProgress = new Set<string>();
  const root = dirname(entry);

  const prepare = (file: string): Promise<Prepared> => {
    let p = prepared.get(file);
    if (p === undefined) {
      inProgress.add(file);
      p = prepareFile(file).finally(() => inProgress.delete(file));
      prepared.set(file, p);
    }
    return p;
  };

  async function prepareFile(file: string): Promise<Prepared> {
    const source = await readFile(file, 'utf8');
    let js = source;
    let inputMap: string | undefined;
    if (/\.[cm]?tsx?$/.test(file)) {
      const out = await transform(source, { loader: file.endsWith('x') ? 'tsx' : 'ts', sourcemap: 'external', sourcefile: file, format: 'esm', target: 'es2022' });
      js = out.code;
      inputMap = out.map;
    }
    const trace = inputMap === undefined ? undefined : new TraceMap(inputMap);
    const lines = source.split('\n');
    const errors: Message[] = [];
    const report = (text: string, line: number, column: number) => {
      let l = line;
      let c = column;
      if (trace !== undefined) {
        const o = originalPositionFor(trace, { line, column });
        if (o.line !== null) {
          l = o.line;
          c = o.column ?? 0;
        }
      }
      errors.push({ id: '', pluginName: 'squall-k6', text, location: { file: relative(root, file) || file, namespace: 'file', line: l, column: c, length: 0, lineText: lines[l - 1] ?? '', suggestion: '' }, notes: [], detail: undefined });
    };
    let ast: Node;
    try {
      ast = parse(js, ACORN_OPTIONS);
    } catch (err) {
      const e = err as { loc?: { line: number; column: number }; message: string };
      report(`cannot parse the script: ${e.message.replace(/\s*\(\d+:\d+\)$/, '')}`, e.loc?.line ?? 1, e.loc?.column ?? 0);
      return { code: js, facts: EMPTY_FACTS, errors };
    }
    const facts = new Map<string, ModuleFacts>();
    for (const { spec, node } of importSources(ast)) {
      const reason = unsupportedReason(spec);
      if (reason !== undefined) report(reason, node.loc.start.line, node.loc.start.column);
      else if (spec.startsWith('.')) {
        const dep = await resolveRelative(dirname(file), spec);
        if (dep !== undefined && SCRIPT_FILE.test(dep) && !inProgress.has(dep)) facts.set(spec, (await prepare(dep)).facts);
      }
    }
    if (file === entry) state.exportNames = exportNames(js);
    const analysis = analyzeModule(js, (spec) => facts.get(spec));
    for (const p of analysis.problems) report(p.message, p.line, p.column);
    if (errors.length > 0) return { code: js, facts: analysis.facts, errors };
    return { code: transformK6Module(js, file, analysis, inputMap).code, facts: analysis.facts, errors };
  }

  return {
    name: 'squall-k6',
    setup(b) {
      b.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => {
        const reason = unsupportedReason(args.path);
        return reason === undefined ? { path: args.path, namespace: NAMESPACE } : { errors: [{ text: reason }] };
      });
      b.onResolve({ filter: /^https?:\/\// }, (args) => {
        const name = jslibName(args.path);
        return name !== undefined ? { path: `jslib:${name}`, namespace: NAMESPACE } : { errors: [{ text: unsupportedReason(args.path) ?? 'remote module' }] };
      });
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `module.exports = __squallK6.module(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
      b.onLoad({ filter: SCRIPT_FILE }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const p = await prepare(args.path);
        if (p.errors.length > 0) return { errors: p.errors };
        return { contents: p.code, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}
