import { ConfigError, SquallError, type ConfigProblem } from '../errors.js';
import type { GeneratorDef, RecordSource, StreamContext } from './generator-def.js';
import { auditGenerator, type AuditEvent } from './kinds/audit.js';
import { componentsGenerator, type Component } from './kinds/components.js';
import { crudGenerator, type CrudOperation } from './kinds/crud.js';
import { logsGenerator, type LogRecord } from './kinds/logs.js';
import { ordersGenerator, type OrderEvent } from './kinds/orders.js';
import { flagName, type OptionSpecs, type OptionValues } from './option-spec.js';
import { resolveOptions, type OptionSource } from './resolve-options.js';

/** Every generator kind, by name. Adding a kind means adding it here; nothing registers itself. */
export const GENERATORS = {
  audit: auditGenerator,
  orders: ordersGenerator,
  logs: logsGenerator,
  components: componentsGenerator,
  crud: crudGenerator,
} as const;

/** A generator kind's name. */
export type GeneratorKind = keyof typeof GENERATORS;

/** The record each kind produces. */
export interface RecordOf {
  audit: AuditEvent;
  orders: OrderEvent;
  logs: LogRecord;
  components: Component;
  crud: CrudOperation;
}

/** Resolved options of kind K. */
export type OptionsOf<K extends GeneratorKind> = OptionValues<(typeof GENERATORS)[K]['options']>;

/** A kind with its resolved options: the discriminated union the CLI and scripts pass around. */
export type GeneratorConfig = { [K in GeneratorKind]: { readonly kind: K; readonly options: OptionsOf<K> } }[GeneratorKind];

/** The kind names, in `--list` order. */
export const GENERATOR_KINDS = Object.keys(GENERATORS) as GeneratorKind[];

/** True when `name` is a generator kind. */
export function isGeneratorKind(name: string): name is GeneratorKind {
  return Object.hasOwn(GENERATORS, name);
}

/** Throws a usage error naming the valid kinds unless `name` is one. */
export function assertGeneratorKind(name: string): asserts name is GeneratorKind {
  if (!isGeneratorKind(name)) {
    throw new SquallError('SQUALL_USAGE', `unknown generator kind ${JSON.stringify(name)}; valid kinds: ${GENERATOR_KINDS.join(', ')} (see \`squall generate --list\`)`);
  }
}

/**
 * Validates raw options for `kind` (CLI strings or script values) and returns the config, or
 * throws ConfigError listing every problem with the option's name as the user spelled it.
 */
export function resolveGenerator(kind: GeneratorKind, raw: Readonly<Record<string, unknown>>, source: OptionSource, where: string, extra: readonly ConfigProblem[] = []): GeneratorConfig {
  const def = GENERATORS[kind] as unknown as GeneratorDef<string, OptionSpecs, unknown>;
  const problems: ConfigProblem[] = [...extra];
  const local: ConfigProblem[] = [];
  const options = resolveOptions(def.options, raw, source, local);
  const nameOf = (key: string) => (source === 'cli' ? flagName(key) : key);
  if (local.length === 0) {
    const o = options as Record<string, unknown>;
    if (typeof o.from === 'number' && typeof o.to === 'number' && o.from >= o.to) {
      local.push({ path: nameOf('from'), message: `must be before ${nameOf('to')}, but ${new Date(o.from).toISOString()} is not before ${new Date(o.to).toISOString()}` });
    }
    def.check?.(options, local, nameOf);
  }
  problems.push(...local.map((p) => ({ path: where ? `${where}.${p.path}` : p.path, message: p.message })));
  if (problems.length > 0) throw new ConfigError(problems);
  return { kind, options } as GeneratorConfig;
}

/** Opens stream `ctx.stream` of a resolved generator. */
export function openStream(config: GeneratorConfig, ctx: StreamContext): RecordSource<unknown> {
  const def = GENERATORS[config.kind] as unknown as GeneratorDef<string, OptionSpecs, unknown>;
  return def.create(config.options, ctx);
}
