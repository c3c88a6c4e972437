import { z } from 'zod';

/** The archive format this squall writes and the newest it reads. */
export const ARCHIVE_FORMAT = 1;

/** `manifest.json` at the root of an archive. */
export const manifestSchema = z.object({
  format: z.number().int().min(1),
  squallVersion: z.string(),
  createdAt: z.string(),
  script: z.object({
    /** The script's path when archived. */
    original: z.string(),
    /** Path in the archive of the bundled script (under files/). */
    entry: z.string(),
  }),
  /** Data files the script's init code read, at the same place relative to the script. */
  files: z.array(z.object({ path: z.string(), original: z.string(), bytes: z.number().int().min(0) })),
  options: z.object({
    /** Config-file options (under the script's own). */
    base: z.record(z.string(), z.unknown()).optional(),
    /** Environment and flag overrides given to `squall archive`. */
    overrides: z.record(z.string(), z.unknown()),
    /** The fully resolved options at archive time (for reading; a run resolves them again). */
    resolved: z.unknown(),
  }),
  /** `-e` values given to `squall archive` (secret-looking names are left out). */
  env: z.record(z.string(), z.string()),
});

/** A parsed manifest. */
export type ArchiveManifest = z.infer<typeof manifestSchema>;
