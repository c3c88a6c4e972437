#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// A reader that goes away (`squall ... | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // A signal while the process winds down must not turn the reported code into 130/143.
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(code));
    // After a signal stopped the work (105), more signals may follow (Ctrl-C pressed repeatedly).
    // Node's own teardown closes the signal handlers before the process ends, and a signal in that
    // window kills it with 130; exiting here, once the output is flushed, keeps the code reported.
    if (code === 105) process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
  (err) => {
    // main() maps every known error to an exit code; reaching here is a bug in squall itself.
    process.stderr.write(`squall: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  },
);
