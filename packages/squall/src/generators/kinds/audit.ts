import type { GeneratorDef } from '../generator-def.js';
import { enumOption, type OptionValues } from '../option-spec.js';
import { AuditSource } from './audit-source.js';
import { AUDIT_VERBS } from './audit-vocab.js';
import { timeOptions } from './time-options.js';


/** Options of the `audit` kind. */
export const auditOptions = {
  tenants: { type: 'int', default: 50, min: 1, max: 1_000_000, doc: 'control planes (tenants) the events come from' },
  skew: enumOption(['uniform', 'zipf'], 'uniform', 'how events spread over tenants: evenly, or Zipf (a few noisy tenants)'),
  zipfExponent: { type: 'number', default: 1.1, min: 0, max: 5, doc: 'Zipf exponent s with --skew zipf (tenant k gets weight 1/k^s)' },
  scopeType: { type: 'string', default: 'tenant', pattern: /^[a-z][a-z0-9-]{0,62}$/, patternDoc: 'a lowercase word', doc: 'value of the platform.miloapis.com/scope.type annotation' },
  tenantPrefix: { type: 'string', default: 'control-plane-', pattern: /^[a-z0-9][a-z0-9.-]{0,62}$/, patternDoc: 'lowercase DNS characters', doc: 'scope.name is this prefix plus the tenant number' },
  verbs: {
    type: 'weights',
    keys: AUDIT_VERBS,
    default: { get: 40, list: 30, update: 15, create: 10, delete: 5, patch: 0, watch: 0 },
    doc: 'relative verb weights; given weights replace the defaults',
  },
  errors4xx: { type: 'number', default: 0.02, min: 0, max: 1, doc: 'fraction of requests answered 4xx (403, 404, 409, 422, 429 as fits the verb)' },
  errors5xx: { type: 'number', default: 0.002, min: 0, max: 1, doc: 'fraction of requests answered 5xx (500, 503, 504)' },
  users: {
    type: 'weights',
    keys: ['serviceaccount', 'system', 'human'],
    default: { serviceaccount: 55, system: 30, human: 15 },
    doc: 'who makes requests: workload service accounts, control-plane components, people',
  },
  namespaces: { type: 'int', default: 20, min: 1, max: 100_000, doc: 'namespaces per control plane' },
  names: { type: 'int', default: 200, min: 1, max: 1_000_000, doc: 'distinct object names per resource' },
  stages: enumOption(['complete', 'all'], 'complete', 'complete: one ResponseComplete event per request; all: RequestReceived (and ResponseStarted for watch) too'),
  level: enumOption(['Metadata', 'Request', 'RequestResponse'], 'Metadata', 'audit level: Request adds requestObject, RequestResponse adds responseObject too'),
  objectBytes: { type: 'int', default: 0, min: 0, max: 10_000_000, doc: 'pad request/response objects by this many bytes (needs --level Request or RequestResponse)' },
  ...timeOptions,
} as const;

/** Resolved `audit` options. */
export type AuditOptions = OptionValues<typeof auditOptions>;

/** An `audit.k8s.io/v1` Event as the Kubernetes API server writes it. */
export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: 'Metadata' | 'Request' | 'RequestResponse';
  auditID: string;
  stage: 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete';
  requestURI: string;
  verb: string;
  user: { username: string; uid?: string; groups: string[] };
  sourceIPs: string[];
  userAgent: string;
  objectRef: { resource: string; namespace?: string; name?: string; apiGroup?: string; apiVersion: string };
  responseStatus?: { metadata: Record<string, never>; code: number; status?: 'Failure'; reason?: string; message?: string };
  requestObject?: unknown;
  responseObject?: unknown;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations: Record<string, string>;
}

/** The `audit` kind: Kubernetes audit events from many tenant control planes (seed 000). */
export const auditGenerator: GeneratorDef<'audit', typeof auditOptions, AuditEvent> = {
  kind: 'audit',
  summary: 'audit.k8s.io/v1 Events from many tenant control planes (verbs, resources, users, codes, timestamps)',
  seedDoc: '000 Activity',
  options: auditOptions,
  check(o, problems, nameOf) {
    if (o.errors4xx + o.errors5xx > 1) problems.push({ path: nameOf('errors4xx'), message: `plus ${nameOf('errors5xx')} must be at most 1, but is ${o.errors4xx + o.errors5xx}` });
    if (o.objectBytes > 0 && o.level === 'Metadata') problems.push({ path: nameOf('objectBytes'), message: `pads request/response objects, which level Metadata does not emit; set ${nameOf('level')} Request or RequestResponse` });
  },
  create: (o, ctx) => new AuditSource(o, ctx),
};
