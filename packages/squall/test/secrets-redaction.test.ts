import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactArgv } from '../src/outputs/redact.js';
import { runCli, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('secrets given with -e / --env', () => {
  it('redacts every argv form of a secret name', () => {
    const env = { TOKEN: 'tok-123456', API_PASSWORD: 'pw-abcdef', BASE_URL: 'http://x' };
    expect(redactArgv(['run', 's.ts', '-e', 'TOKEN=tok-123456', '--env=API_PASSWORD=pw-abcdef', '-eTOKEN=tok-123456', '--env', 'BASE_URL=http://x', '--tag', 'x=tok-123456'], env)).toEqual([
      'run', 's.ts', '-e', 'TOKEN=[redacted]', '--env=API_PASSWORD=[redacted]', '-eTOKEN=[redacted]', '--env', 'BASE_URL=http://x', '--tag', 'x=[redacted]',
    ]);
  });

  it('never writes a secret into the results dir, reports, history archive, summary export or logs', async () => {
    const dir = tmpDir();
    const token = 'tok-S3CRET-7f9a';
    const password = 'pw-HUNTER2-c0de';
    // The secrets reach a URL (a tag), the options, and an iteration error's text.
    writeFileSync(
      join(dir, 'leak.ts'),
      `import { http } from 'squall';
export const options = { iterations: 2, vus: 1, tags: { auth: __ENV.API_PASSWORD } };
export default async function () {
  await http.get(\`\${__ENV.BASE_URL}/?token=\${__ENV.TOKEN}\`);
  throw new Error('failed with ' + __ENV.TOKEN);
}
`,
    );
    const r = await runCli(
      ['run', 'leak.ts', '-e', `TOKEN=${token}`, `--env=API_PASSWORD=${password}`, '-e', `BASE_URL=${server.url}`,
        '--results-dir', 'res', '--history-dir', 'hist', '--report', 'html,markdown,junit', '--summary-export', 'export.json'],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('iteration error');
    const written = [...filesUnder(join(dir, 'res')), ...filesUnder(join(dir, 'hist')), join(dir, 'export.json')];
    expect(written.some((p) => p.endsWith('meta.json'))).toBe(true);
    for (const p of written) {
      const text = readFileSync(p, 'utf8');
      expect(text, p).not.toContain(token);
      expect(text, p).not.toContain(password);
    }
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stdout + r.stderr).not.toContain(password);
    const meta = JSON.parse(readFileSync(join(dir, 'res', 'meta.json'), 'utf8'));
    expect(meta.argv).toContain('TOKEN=[redacted]');
    expect(meta.argv).toContain('--env=API_PASSWORD=[redacted]');
    expect(meta.env.BASE_URL).toBe(server.url);
  });
});
