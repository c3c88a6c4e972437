import { resolve } from 'node:path';
import type { ConfigProblem } from '../../errors.js';
import type { OutputContext, OutputKind } from '../outputs-registry.js';
import { CSV_TIME_FORMATS, csvFormat, type CsvTimeFormat } from './csv-format.js';
import { JSON_FORMAT } from './json-format.js';
import { SampleFileOutput } from './sample-output.js';

function fileArg(name: string, arg: string | undefined, problems: ConfigProblem[]): string | undefined {
  const path = arg?.trim();
  if (path === undefined || path === '') {
    problems.push({ path: `--out ${name}`, message: `needs a file name: --out ${name}=FILE (FILE.gz for gzip)` });
    return undefined;
  }
  return path;
}

function pathFor(ctx: OutputContext, file: string): string {
  return resolve(ctx.cwd ?? process.cwd(), file);
}

/** `--out json=FILE[.gz]`: k6's JSON lines, one Point per sample. */
export const jsonOutput: OutputKind = {
  usage: 'json=FILE',
  create(arg, ctx, problems) {
    const file = fileArg('json', arg, problems);
    return file === undefined ? undefined : new SampleFileOutput(JSON_FORMAT, pathFor(ctx, file));
  },
};

/** `--out csv=FILE[.gz]`: k6's CSV columns, one row per sample; SQUALL_CSV_TIME_FORMAT (or K6_CSV_TIME_FORMAT) picks the timestamp. */
export const csvOutput: OutputKind = {
  usage: 'csv=FILE',
  create(arg, ctx, problems) {
    const file = fileArg('csv', arg, problems);
    const setting = ctx.env.SQUALL_CSV_TIME_FORMAT !== undefined ? 'SQUALL_CSV_TIME_FORMAT' : 'K6_CSV_TIME_FORMAT';
    const text = (ctx.env[setting] ?? 'unix').trim();
    if (!(CSV_TIME_FORMATS as readonly string[]).includes(text)) {
      problems.push({ path: setting, message: `must be one of ${CSV_TIME_FORMATS.join(', ')}, but is ${JSON.stringify(text)}` });
      return undefined;
    }
    return file === undefined ? undefined : new SampleFileOutput(csvFormat(text as CsvTimeFormat), pathFor(ctx, file));
  },
};
