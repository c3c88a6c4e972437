/**
 * Redaction of secrets given with `-e NAME=value` / `--env NAME=value`: a variable whose name looks
 * secret has its value replaced by `[redacted]` wherever the results directory would record it
 * (meta.json's argv, options and env, summary.json, timeseries.jsonl), so reports and the history
 * archive, which are made from that directory, never see it either.
 */

export const REDACTED = '[redacted]';
const SECRET_NAME = /(secret|token|passw|pwd|key|auth|credential|cookie|session|private)/i;
/** Shorter values are only redacted by name: replacing "1" everywhere would garble the figures. */
const MIN_SCRUB_LENGTH = 4;

/** Whether a variable of this name holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Copies `env` with the values of secret-looking names replaced by `[redacted]`. */
export function redactEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = isSecretName(k) ? REDACTED : v;
  return out;
}

/** The values of the secret-looking variables in `env`, longest first. */
export function secretValues(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => isSecretName(k) && v.length >= MIN_SCRUB_LENGTH)
    .map(([, v]) => v)
    .sort((a, b) => b.length - a.length);
}

/** `argv` with `-e NAME=v`, `--env NAME=v`, `--env=NAME=v` and `-eNAME=v` of secret names redacted, and any secret value scrubbed. */
export function redactArgv(argv: readonly string[], env: Readonly<Record<string, string>>): string[] {
  const values = secretValues(env);
  const out: string[] = [];
  let envNext = false;
  for (const arg of argv) {
    let a = arg;
    if (envNext) a = redactAssignment(a);
    else if (a.startsWith('--env=')) a = `--env=${redactAssignment(a.slice(6))}`;
    else if (a.startsWith('-e') && a.length > 2 && !a.startsWith('--')) a = `-e${redactAssignment(a.slice(2))}`;
    envNext = arg === '-e' || arg === '--env';
    out.push(scrubText(a, values));
  }
  return out;
}

function redactAssignment(kv: string): string {
  const eq = kv.indexOf('=');
  return eq > 0 && isSecretName(kv.slice(0, eq)) ? `${kv.slice(0, eq)}=${REDACTED}` : kv;
}

/** `text` with every occurrence of each secret value (and its JSON-escaped form) replaced. */
export function scrubText(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) {
    out = out.replaceAll(v, REDACTED);
    const escaped = JSON.stringify(v).slice(1, -1);
    if (escaped !== v) out = out.replaceAll(escaped, REDACTED);
  }
  return out;
}
