import type { OptionOverrides } from '../config/resolve.js';

/** Environment overrides under flag overrides: a flag wins; tags merge key by key (flag wins per key). */
export function layerOverrides(fromEnv: OptionOverrides, fromFlags: OptionOverrides): OptionOverrides {
  const out: OptionOverrides = { ...fromEnv, ...fromFlags };
  if (fromEnv.tags !== undefined || fromFlags.tags !== undefined) out.tags = { ...(fromEnv.tags ?? {}), ...(fromFlags.tags ?? {}) };
  return out;
}
