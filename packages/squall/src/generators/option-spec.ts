/**
 * Declarations of a generator kind's options. One table per kind drives the CLI flags, the
 * in-script option objects, validation messages and `squall generate --list`, so they cannot
 * drift apart. `OptionValues<typeof table>` gives the resolved, typed options.
 */

interface Doc {
  /** One line for `--list` and errors. */
  readonly doc: string;
}

/** An integer option. */
export interface IntSpec extends Doc {
  readonly type: 'int';
  readonly default: number;
  readonly min: number;
  readonly max?: number;
}

/** A real-number option (rates, exponents). */
export interface NumberSpec extends Doc {
  readonly type: 'number';
  readonly default: number;
  readonly min: number;
  readonly max?: number;
}

/** One of a fixed set of words. */
export interface EnumSpec<V extends string = string> extends Doc {
  readonly type: 'enum';
  readonly values: readonly V[];
  readonly default: V;
}

/** Relative weights over fixed keys, written `a=40,b=30` (given weights replace the defaults). */
export interface WeightsSpec extends Doc {
  readonly type: 'weights';
  readonly keys: readonly string[];
  readonly default: Readonly<Record<string, number>>;
}

/**
 * A point in time: ISO 8601, epoch ms, `now`, or relative to now (`-90d`, `-6h`, `-30m`).
 * Unset means "the live clock" in scripts; the CLI uses `cliDefault` so output is reproducible.
 */
export interface TimeSpec extends Doc {
  readonly type: 'time';
  readonly cliDefault: string;
}

/** A yes/no switch. */
export interface BoolSpec extends Doc {
  readonly type: 'bool';
  readonly default: boolean;
}

/** Free text, checked against a pattern. */
export interface StringSpec extends Doc {
  readonly type: 'string';
  readonly default: string;
  readonly pattern: RegExp;
  readonly patternDoc: string;
}

/** Any option declaration. */
export type OptionSpec = IntSpec | NumberSpec | EnumSpec | WeightsSpec | TimeSpec | BoolSpec | StringSpec;

/** A kind's option table, keyed by camelCase name (the CLI flag is its kebab-case form). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<S> = S extends IntSpec | NumberSpec
  ? number
  : S extends EnumSpec<infer V>
    ? V
    : S extends WeightsSpec
      ? Readonly<Record<string, number>>
      : S extends TimeSpec
        ? number | undefined
        : S extends BoolSpec
          ? boolean
          : string;

/** Resolved values of an option table; times are epoch ms, undefined meaning the live clock. */
export type OptionValues<S extends OptionSpecs> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** What a user may pass for an option table in a script (every option optional). */
export type OptionInput<S extends OptionSpecs> = {
  readonly [K in keyof S]?: S[K] extends WeightsSpec ? Readonly<Record<string, number>> | string : S[K] extends TimeSpec ? string | number | Date : ValueOf<S[K]> | string;
};

/** `fooBar` -> `--foo-bar`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Declares an enum option keeping its literal value types. */
export function enumOption<const V extends string>(values: readonly V[], def: V, doc: string): EnumSpec<V> {
  return { type: 'enum', values, default: def, doc };
}

/** The default value of an option as `--list` shows it. */
export function describeDefault(spec: OptionSpec): string {
  switch (spec.type) {
    case 'weights':
      return Object.entries(spec.default)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
    case 'time':
      return `${spec.cliDefault} (CLI); live clock in scripts`;
    case 'string':
      return spec.default === '' ? '(empty)' : spec.default;
    default:
      return String(spec.default);
  }
}

/** The kind of value an option takes, as `--list` shows it. */
export function describeType(spec: OptionSpec): string {
  switch (spec.type) {
    case 'int':
      return `integer >= ${spec.min}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`;
    case 'number':
      return `number >= ${spec.min}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`;
    case 'enum':
      return spec.values.join('|');
    case 'weights':
      return `weights over ${spec.keys.join(',')}`;
    case 'time':
      return 'time (ISO 8601, epoch ms, now, -90d, -6h)';
    case 'bool':
      return 'true|false';
    case 'string':
      return spec.patternDoc;
  }
}
