/**
 * Bundles a k6 script: its files (transformed) and npm packages as CommonJS inside a factory
 * function, which squall's k6 host calls once per VU, so each VU has its own module state. The
 * ESM wrapper around it re-exports the entry's exports for the engine.
 */
import { build } from 'esbuild';
import { k6Plugin } from './k6-modules.js';

const hostUrl = new URL('../k6/index.js', import.meta.url).href;

/** Builds the k6 bundle for `sourcePath` (written to `outfile` by the caller); esbuild errors propagate. */
export async function buildK6Bundle(sourcePath: string, outfile: string, absWorkingDir: string): Promise<string> {
  const state = { exportNames: [] as string[] };
  const result = await build({
    entryPoints: [sourcePath],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    write: false,
    outfile,
    sourcemap: 'external',
    sourcesContent: true,
    logLevel: 'silent',
    absWorkingDir,
    plugins: [k6Plugin(sourcePath, state)],
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs') || f.path === outfile);
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  if (js === undefined) throw new Error('esbuild produced no output');
  const header = [
    `import { k6Host as __squallK6Host } from ${JSON.stringify(hostUrl)};`,
    `const __squallExports = __squallK6Host({ sourcePath: ${JSON.stringify(sourcePath)}, exportNames: ${JSON.stringify(state.exportNames)}, factory: function (require, module, exports, __squallK6, Math) {`,
  ];
  const body = js.text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n');
  const names = state.exportNames.filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
  const footer = [
    '} });',
    `export const __squallK6 = true;`,
    ...(state.exportNames.includes('default') ? ['export default __squallExports.default;'] : []),
    ...names.map((n) => `export const ${n} = __squallExports[${JSON.stringify(n)}];`),
  ];
  let mapText = '';
  if (map !== undefined) {
    const parsed = JSON.parse(map.text) as { mappings: string };
    parsed.mappings = ';'.repeat(header.length) + parsed.mappings;
    mapText = `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(parsed)).toString('base64')}\n`;
  }
  return `${header.join('\n')}\n${body}${footer.join('\n')}\n${mapText}`;
}
