import type { OptionOverrides } from '../config/resolve.js';
import { layerOverrides } from '../option-sources/index.js';
import type { OpenedArchive } from './open-archive.js';

/** What a run of a script gets from its own command line. */
export interface RunInputs {
  readonly baseOptions: Record<string, unknown> | undefined;
  readonly overrides: OptionOverrides;
  readonly env: Record<string, string>;
}

/**
 * A run of an archive: the archived options and `-e` values under this run's own (its config
 * file, environment and flags win, key by key), so with no flags it behaves as the archived run.
 */
export function archiveRunInputs(archive: OpenedArchive, own: RunInputs & { readonly cliEnv: Readonly<Record<string, string>> }): RunInputs {
  const archived = archive.manifest.options;
  const base = archived.base === undefined && own.baseOptions === undefined ? undefined : { ...(archived.base ?? {}), ...(own.baseOptions ?? {}) };
  return {
    baseOptions: base,
    overrides: layerOverrides(archived.overrides as OptionOverrides, own.overrides),
    env: { ...own.env, ...archive.manifest.env, ...own.cliEnv },
  };
}
