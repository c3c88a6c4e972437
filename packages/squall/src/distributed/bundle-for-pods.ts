/**
 * The script as the pods get it: one ES module with its relative imports and npm packages inlined,
 * and squall's own modules (`squall`, `squall/generators`, `k6`, `k6/*`, jslib URLs) left as
 * imports, so the squall inside the image resolves them exactly as a local run does.
 */
import { dirname } from 'node:path';
import { build, type Message } from 'esbuild';
import { ScriptLoadError } from '../errors.js';

const KEEP_EXTERNAL = ['squall', 'squall/*', 'k6', 'k6/*', 'https://*', 'http://*'];

function where(m: Message): string {
  return m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
}

/** Bundles `scriptPath`; throws ScriptLoadError with file:line:column when it does not build. */
export async function bundleForPods(scriptPath: string): Promise<string> {
  try {
    const out = await build({
      entryPoints: [scriptPath],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      external: KEEP_EXTERNAL,
      // File comments name paths relative to the script's folder, not this machine's layout.
      absWorkingDir: dirname(scriptPath),
      legalComments: 'none',
    });
    return out.outputFiles[0]!.text;
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (errors && errors.length > 0) throw new ScriptLoadError(errors.map((m) => `${where(m)}${m.text}`).join('\n'), undefined, { cause: err });
    throw err;
  }
}
