/**
 * Runs several `squall run` command lines one after another in this one process, through the
 * CLI's own `main()` (the same code path as the binary, minus a Node start per script), and sends
 * each outcome to the parent over IPC: { id, code, stdout, stderr }. Used by k6-compat.test.ts.
 */
import { Writable } from 'node:stream';
import { main } from '../dist/cli/main.js';

const jobs = JSON.parse(process.argv[2]);

function sink() {
  const s = new Writable({
    write(chunk, _enc, cb) {
      s.text += chunk.toString();
      cb();
    },
  });
  s.text = '';
  return s;
}

const { BASE_URL: _vite, ...env } = process.env;
for (const job of jobs) {
  const stdout = sink();
  const stderr = sink();
  let code;
  try {
    code = await main(['node', 'squall', ...job.args], { stdout, stderr, env: { ...env, NO_COLOR: '1' }, cwd: job.cwd });
  } catch (err) {
    code = -1;
    stderr.text += `runner: ${err?.stack ?? err}\n`;
  }
  await new Promise((resolve) => process.send({ id: job.id, code, stdout: stdout.text, stderr: stderr.text }, resolve));
}
process.disconnect();
