import { openStream, resolveGenerator } from '../../squall/src/generators/registry.js';
import { FILTER_ENVIRONMENT } from '../src/filter-compiler.js';

/** One generated audit event, as the generator wrote it. */
export interface GenEvent {
  readonly auditID: string;
  readonly verb: string;
  readonly requestReceivedTimestamp: string;
  readonly stageTimestamp: string;
  readonly user: { readonly username: string; readonly uid?: string };
  readonly objectRef: { readonly resource: string; readonly namespace?: string; readonly name?: string; readonly apiGroup?: string };
  readonly responseStatus?: { readonly code: number };
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * `n` events of squall's `audit` generator over [fromMs, toMs) from `tenants` control planes
 * (scope type `tenant`, names `control-plane-<k>`): deterministic for a seed, timestamps sorted.
 */
export function generateAudit(n: number, tenants: number, fromMs: number, toMs: number, seed: string): GenEvent[] {
  const config = resolveGenerator('audit', { tenants, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), namespaces: 4, names: 20 }, 'script', 'test');
  const source = openStream(config, { seed, stream: 0, salt: 0, count: n });
  const out: GenEvent[] = [];
  for (let i = 0; i < n; i++) out.push(source.next() as GenEvent);
  return out;
}

/** A Timestamp for the CEL reference evaluation (ms precision; tests compare at whole ms with < and >= only). */
function ts(text: string): Date {
  return new Date(Date.parse(text));
}

/**
 * Whether `filter` selects `e`, evaluated in memory by the CEL implementation over the event as
 * generated; absent strings are '' and an absent code 0, as the store keeps them.
 */
export function referenceMatch(filter: string, e: GenEvent): boolean {
  if (filter.trim() === '') return true;
  const ctx = {
    auditID: e.auditID,
    verb: e.verb,
    requestReceivedTimestamp: ts(e.requestReceivedTimestamp),
    stageTimestamp: ts(e.stageTimestamp),
    user: { username: e.user.username ?? '', uid: e.user.uid ?? '' },
    objectRef: { namespace: e.objectRef.namespace ?? '', resource: e.objectRef.resource ?? '', name: e.objectRef.name ?? '', apiGroup: e.objectRef.apiGroup ?? '' },
    responseStatus: { code: BigInt(e.responseStatus?.code ?? 0) },
  };
  return FILTER_ENVIRONMENT.evaluate(filter, ctx) === true;
}

/** The tenant an event belongs to. */
export function tenantOf(e: GenEvent): string {
  return e.annotations['platform.miloapis.com/scope.name'] as string;
}
