import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, runCli, squallBin, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

const examples = resolve(import.meta.dirname, '..', '..', '..', 'examples', 'generators');

describe('squall generate', () => {
  it('writes the same bytes to stdout, a file and a gzip file for the same seed', async () => {
    const dir = tmpDir();
    const args = ['generate', 'audit', '--count', '3000', '--seed', 's1', '--tenants', '7', '--skew', 'zipf'];
    const out = await runCli(args);
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3000);
    expect(JSON.parse(lines[0]!).apiVersion).toBe('audit.k8s.io/v1');
    expect((await runCli([...args, '--out', join(dir, 'a.jsonl')])).code).toBe(0);
    expect((await runCli([...args, '--out', join(dir, 'a.jsonl.gz'), '--gzip-level', '1'])).code).toBe(0);
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(out.stdout);
    expect(gunzipSync(readFileSync(join(dir, 'a.jsonl.gz'))).toString('utf8')).toBe(out.stdout);
    expect(readdirSync(dir).sort()).toEqual(['a.jsonl', 'a.jsonl.gz']);
  });

  it('lists every kind with its options', async () => {
    const r = await runCli(['generate', '--list']);
    expect(r.code).toBe(0);
    for (const text of ['audit', 'orders', 'logs', 'components', 'crud', '--tenants', '--skew', '--event-types', '--severities', '--roles', '--ops', 'default get=40,list=30,update=15,create=10,delete=5']) {
      expect(r.stdout).toContain(text);
    }
    const one = await runCli(['generate', '--list', 'crud']);
    expect(one.stdout).toContain('--ops');
    expect(one.stdout).not.toContain('--tenants');
  });

  it('names the valid kinds (exit 1) and every bad option (exit 104)', async () => {
    const kind = await runCli(['generate', 'audits']);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain('valid kinds: audit, orders, logs, components, crud');
    const opts = await runCli(['generate', 'orders', '--tiers', 'gold=1', '--count', '-5', '--colour', 'red']);
    expect(opts.code).toBe(104);
    expect(opts.stderr).toContain('3 problems');
    expect(opts.stderr).toContain('--colour: is not an option of this generator; valid options: --event-types, --tiers');
    expect(opts.stderr).toContain('--tiers: has unknown key "gold"; valid keys: free, standard, premium, enterprise');
  });

  it('leaves no file behind when interrupted (exit 105)', async () => {
    const dir = tmpDir();
    const child = spawn(process.execPath, [squallBin, 'generate', 'audit', '--count', '100000000', '--out', join(dir, 'big.jsonl'), '--quiet'], { stdio: 'ignore' });
    const code = await new Promise<number | null>((done) => {
      const poll = setInterval(() => {
        if (readdirSync(dir).some((f) => f.includes('.tmp-'))) {
          clearInterval(poll);
          setTimeout(() => child.kill('SIGINT'), 200);
        }
      }, 20);
      child.on('close', (c) => {
        clearInterval(poll);
        done(c);
      });
    });
    expect(code).toBe(105);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('generators in scripts, end to end', () => {
  let server: TestServer;
  const auditIds: string[] = [];
  beforeAll(async () => {
    server = await startServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      for (const line of body.split('\n')) if (line !== '') auditIds.push((JSON.parse(line) as { auditID: string }).auditID);
      res.writeHead(202).end();
    });
  });
  afterAll(() => server.close());

  it('audit example: unique auditIDs across VUs, 2 workers and 2 execution segments', async () => {
    const dir = tmpDir();
    const common = [join(examples, 'audit-ingest.ts'), '-e', `BASE_URL=${server.url}`, '-e', 'BATCH=25', '--vus', '4', '-i', '20', '--workers', '2', '--no-results', '-q'];
    const seq = '--execution-segment-sequence=0,1/2,1';
    const a = await runCli(['run', ...common, '--execution-segment', '0:1/2', seq, '--summary-export', join(dir, 'a.json')]);
    const b = await runCli(['run', ...common, '--execution-segment', '1/2:1', seq, '--summary-export', join(dir, 'b.json')]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const sent = ['a.json', 'b.json'].map((f) => readJson(join(dir, f)).metrics.audit_events_sent.values.count as number);
    expect(sent[0]! + sent[1]!).toBe(20 * 25);
    expect(auditIds).toHaveLength(500);
    expect(new Set(auditIds).size).toBe(500);
  });
});
