import { describeDefault, describeType, flagName, type OptionSpecs } from './option-spec.js';
import { GENERATORS, GENERATOR_KINDS, type GeneratorKind } from './registry.js';

/** Text of `squall generate --list [KIND]`: each kind, its purpose and every option with type and default. */
export function formatKindList(only?: GeneratorKind): string {
  const out: string[] = [];
  for (const kind of only === undefined ? GENERATOR_KINDS : [only]) {
    const def = GENERATORS[kind];
    out.push(`${kind}  (seed ${def.seedDoc})`, `  ${def.summary}`);
    const specs: OptionSpecs = def.options;
    const rows = Object.entries(specs).map(([key, spec]) => ({ flag: flagName(key), type: describeType(spec), doc: spec.doc, def: describeDefault(spec) }));
    const w = Math.max(...rows.map((r) => r.flag.length));
    for (const r of rows) {
      out.push(`  ${r.flag.padEnd(w)}  ${r.doc}`);
      out.push(`  ${' '.repeat(w)}  ${r.type}; default ${r.def}`);
    }
    out.push('');
  }
  out.push(
    'Options every kind takes: --count N (default 1000), --seed S (default 1), --out FILE (.jsonl, .ndjson, .gz = gzip; stdout when absent),',
    '  --stream N (default 0; give parallel runs distinct streams so ids never collide), --gzip-level 1-9, --quiet.',
    'The same kind, options, seed, stream and count always give byte-identical output.',
  );
  return `${out.join('\n')}\n`;
}
