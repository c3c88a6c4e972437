/**
 * `squall archive`: a script, the data files its init code reads and its options in one tar
 * that `squall run FILE.tar` runs anywhere (docs/archive.md).
 */
export { createArchive, type ArchiveRequest } from './create-archive.js';
export { isArchivePath, openArchive, type OpenedArchive } from './open-archive.js';
export { archiveRunInputs, type RunInputs } from './run-inputs.js';
export { ARCHIVE_FORMAT, type ArchiveManifest } from './manifest.js';
