/** What a test script gets from `import ... from 'squall/generators'`. */
import { ScriptGenerator, type ScriptGeneratorOptions } from './generators/script-generators.js';

export { ScriptGenerator, type ScriptGeneratorOptions } from './generators/script-generators.js';
export { SharedArray, type SharedFileOptions } from './data/shared-array.js';
export type { AuditEvent } from './generators/kinds/audit.js';
export type { OrderEvent } from './generators/kinds/orders.js';
export type { LogRecord } from './generators/kinds/logs.js';
export type { Component } from './generators/kinds/components.js';
export type { CrudOperation } from './generators/kinds/crud.js';
export type { GeneratorKind } from './generators/registry.js';

/** Kubernetes audit events from many tenant control planes (seed 000); per-VU streams, unique auditIDs. */
export function audit(options?: ScriptGeneratorOptions<'audit'>): ScriptGenerator<'audit'> {
  return new ScriptGenerator('audit', options);
}

/** Order lifecycle events for bulk NDJSON posting (seed 001). */
export function orders(options?: ScriptGeneratorOptions<'orders'>): ScriptGenerator<'orders'> {
  return new ScriptGenerator('orders', options);
}

/** Structured service logs with trace ids (seed 002). */
export function logs(options?: ScriptGeneratorOptions<'logs'>): ScriptGenerator<'logs'> {
  return new ScriptGenerator('logs', options);
}

/** HPC node inventory with boot parameters (seed 003); xnames, NIDs and MACs unique per VU. */
export function components(options?: ScriptGeneratorOptions<'components'>): ScriptGenerator<'components'> {
  return new ScriptGenerator('components', options);
}

/** CRUD operations on users, agents and pipelines with valid payloads (seed 004). */
export function crud(options?: ScriptGeneratorOptions<'crud'>): ScriptGenerator<'crud'> {
  return new ScriptGenerator('crud', options);
}
