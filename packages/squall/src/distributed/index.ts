/**
 * Distributed runs: the segment arithmetic of `squall run --instance I/N` and the Kubernetes
 * manifests (`squall k8s`) whose pods each run one instance.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { SquallError } from '../errors.js';
import { bundleForPods } from './bundle-for-pods.js';
import { buildManifests, CONFIGMAP_LIMIT_BYTES, type ManifestFile, type ManifestOptions } from './manifests.js';

export { bundleForPods } from './bundle-for-pods.js';
export { instanceSegment, parseInstance, MAX_INSTANCES, type InstanceSegment } from './instances.js';
export { buildManifests, configMapKey, coordinatorUrl, CONFIGMAP_LIMIT_BYTES, NATS_IMAGE, type ManifestObject, type ManifestOptions, type ManifestFile } from './manifests.js';

export interface K8sRunRequest extends Omit<ManifestOptions, 'script' | 'scriptName' | 'files' | 'name'> {
  readonly scriptPath: string;
  readonly name?: string;
  /** Data files the script open()s, as given on the command line (relative to the working dir). */
  readonly filePaths: readonly string[];
  readonly cwd: string;
}

/** A DNS-1123 label from a script file name: `Query Test.ts` -> `squall-query-test`. */
export function nameFromScript(scriptPath: string): string {
  const stem = basename(scriptPath).replace(/\.[cm]?[jt]s$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `squall-${stem || 'test'}`.slice(0, 52).replace(/-+$/, '');
}

async function readFiles(req: K8sRunRequest, scriptDir: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const given of req.filePaths) {
    const abs = resolve(req.cwd, given);
    const rel = relative(scriptDir, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new SquallError('SQUALL_USAGE', `--file ${given}: data files must be inside the script's folder (${scriptDir}), since the script open()s them relative to itself`);
    }
    try {
      files.push({ path: rel.split('\\').join('/'), content: await readFile(abs) });
    } catch (err) {
      throw new SquallError('SQUALL_USAGE', `--file ${given}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
    }
  }
  return files;
}

/** Bundles the script, reads its files and returns the validated objects as one YAML stream. */
export async function renderK8sManifests(req: K8sRunRequest): Promise<{ yaml: string; objects: ReturnType<typeof buildManifests> }> {
  const scriptPath = resolve(req.cwd, req.scriptPath);
  const script = await bundleForPods(scriptPath);
  const files = await readFiles(req, dirname(scriptPath));
  const size = Buffer.byteLength(script) + files.reduce((n, f) => n + f.content.length * (f.content.includes(0) ? 4 / 3 : 1), 0);
  if (size > CONFIGMAP_LIMIT_BYTES) {
    throw new SquallError('SQUALL_USAGE', `the bundled script and its files take ${Math.round(size / 1024)} KiB, more than a ConfigMap holds (about 1 MiB); build an image with the data inside (FROM squall, COPY) and pass it with --image`);
  }
  const scriptName = basename(scriptPath).replace(/\.[cm]?ts$/i, '.js');
  const objects = buildManifests({ ...req, name: req.name ?? nameFromScript(scriptPath), scriptName, script, files });
  const yaml = objects.map((o) => stringify(o.toJSON(), { lineWidth: 0 })).join('---\n');
  return { yaml, objects };
}
