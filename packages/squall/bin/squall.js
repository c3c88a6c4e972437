#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // main() maps every known error to an exit code; reaching here is a bug in squall itself.
    process.stderr.write(`squall: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  },
);
