import { AliasTable, zipfWeights } from '../alias-table.js';
import { EventClock } from '../event-clock.js';
import type { RecordSource, StreamContext } from '../generator-def.js';
import { IsoTime } from '../iso-time.js';
import { Prng } from '../prng.js';
import { UniqueIds } from '../unique-id.js';
import type { AuditEvent, AuditOptions } from './audit.js';
import { buildObject, buildPatch } from './audit-objects.js';
import { auditPools, type AuditPools, type AuditUser } from './audit-pools.js';
import { ALLOW_REASONS, AUDIT_VERBS, type ApiResource } from './audit-vocab.js';

/** Salt of the PRNG that builds the shared pools; no VU stream number can equal it. */
const POOL_STREAM = -1;
const MEDIAN_LATENCY_MS: Readonly<Record<string, number>> = { get: 3, list: 25, watch: 300_000, create: 9, update: 8, patch: 7, delete: 10 };
type Failure = readonly [number, string];
const FAILURES_4XX: Readonly<Record<string, readonly Failure[]>> = {
  get: [[404, 'NotFound'], [403, 'Forbidden'], [429, 'TooManyRequests']],
  list: [[403, 'Forbidden'], [429, 'TooManyRequests']],
  watch: [[403, 'Forbidden'], [410, 'Expired']],
  create: [[409, 'AlreadyExists'], [422, 'Invalid'], [403, 'Forbidden']],
  update: [[409, 'Conflict'], [422, 'Invalid'], [404, 'NotFound']],
  patch: [[422, 'Invalid'], [404, 'NotFound'], [403, 'Forbidden']],
  delete: [[404, 'NotFound'], [403, 'Forbidden'], [409, 'Conflict']],
};
const FAILURES_5XX: readonly Failure[] = [[500, 'InternalError'], [503, 'ServiceUnavailable'], [504, 'Timeout']];

/** Everything random about one request, drawn once and then shaped as an object or a line. */
interface Draw {
  readonly verb: string;
  readonly resIndex: number;
  readonly ns: string | undefined;
  readonly name: string | undefined;
  readonly requestURI: string;
  readonly userIndex: number;
  readonly tenantIndex: number;
  readonly auditID: string;
  readonly received: string;
  readonly completed: string;
  readonly code: number;
  readonly failure: Failure | undefined;
  readonly reasonIndex: number;
  readonly requestObject: unknown;
  readonly responseObject: unknown;
}

/** JSON text fragments built once per generator; the line path only concatenates them. */
interface Fragments {
  readonly users: readonly string[];
  readonly refHead: readonly string[];
  readonly refTail: readonly string[];
  readonly tenants: readonly string[];
  readonly allow: readonly string[];
  readonly forbid: string;
}

function fragments(o: AuditOptions, p: AuditPools): Fragments {
  const j = JSON.stringify;
  return {
    users: p.users.map((u: AuditUser) => `"user":${j({ username: u.username, uid: u.uid, groups: u.groups })},"sourceIPs":[${j(u.sourceIp)}],"userAgent":${j(u.userAgent)}`),
    refHead: p.resources.map((r) => `{"resource":${j(r.resource)}`),
    refTail: p.resources.map((r) => `${r.group === '' ? '' : `,"apiGroup":${j(r.group)}`},"apiVersion":${j(r.version)}}`),
    tenants: p.tenantNames.map((t) => `,"platform.miloapis.com/scope.type":${j(o.scopeType)},"platform.miloapis.com/scope.name":${j(t)}}`),
    allow: ALLOW_REASONS.map((r) => `"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":${j(r)}`),
    forbid: `"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":""`,
  };
}

/** One stream of audit events (see `auditGenerator`). */
export class AuditSource implements RecordSource<AuditEvent> {
  readonly #o: AuditOptions;
  readonly #stream: number;
  readonly #rng: Prng;
  readonly #ids: UniqueIds;
  readonly #clock: EventClock;
  readonly #pools: AuditPools;
  readonly #frag: Fragments;
  readonly #verbs: AliasTable;
  readonly #verbNames: readonly string[];
  readonly #tenants: AliasTable;
  readonly #iso = new IsoTime();
  readonly #isoStage = new IsoTime();
  #index = 0;
  #issued = 0;
  readonly #pending: AuditEvent[] = [];

  constructor(o: AuditOptions, ctx: StreamContext) {
    this.#o = o;
    this.#stream = ctx.stream;
    // Pools depend on the seed only, so every VU sees the same tenants, namespaces and names.
    this.#pools = auditPools(o, Prng.from(ctx.seed, ctx.salt, POOL_STREAM));
    this.#frag = fragments(o, this.#pools);
    this.#rng = Prng.from(ctx.seed, ctx.salt, ctx.stream);
    this.#ids = new UniqueIds(ctx.seed, ctx.salt);
    this.#clock = new EventClock(o, ctx.count);
    this.#verbNames = AUDIT_VERBS.filter((v) => (o.verbs[v] ?? 0) > 0);
    this.#verbs = new AliasTable(this.#verbNames.map((v) => o.verbs[v] ?? 0));
    this.#tenants = new AliasTable(o.skew === 'zipf' ? zipfWeights(o.tenants, o.zipfExponent) : new Array<number>(o.tenants).fill(1));
  }

  next(): AuditEvent {
    const event = this.#pending.pop() ?? this.#eventOf(this.#draw());
    this.#index++;
    return event;
  }

  nextLine(): string {
    if (this.#o.stages === 'all') return JSON.stringify(this.next());
    const d = this.#draw();
    this.#index++;
    const f = this.#frag;
    const status = d.failure === undefined ? `{"metadata":{},"code":${d.code}}` : JSON.stringify(failureStatus(d));
    const ref = `${f.refHead[d.resIndex] as string}${d.ns === undefined ? '' : `,"namespace":"${d.ns}"`}${d.name === undefined ? '' : `,"name":"${d.name}"`}${f.refTail[d.resIndex] as string}`;
    const decision = d.code === 403 ? f.forbid : (f.allow[d.reasonIndex] as string);
    let bodies = '';
    if (d.requestObject !== undefined) bodies += `,"requestObject":${JSON.stringify(d.requestObject)}`;
    if (d.responseObject !== undefined) bodies += `,"responseObject":${JSON.stringify(d.responseObject)}`;
    return `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"${this.#o.level}","auditID":"${d.auditID}","stage":"ResponseComplete","requestURI":"${d.requestURI}","verb":"${d.verb}",${f.users[d.userIndex] as string},"objectRef":${ref},"responseStatus":${status},"requestReceivedTimestamp":"${d.received}","stageTimestamp":"${d.completed}","annotations":{${decision}${f.tenants[d.tenantIndex] as string}${bodies}}`;
  }

  #draw(): Draw {
    const rng = this.#rng;
    const o = this.#o;
    const p = this.#pools;
    const verb = this.#verbNames[this.#verbs.sample(rng)] as string;
    const resIndex = p.resourceTable.sample(rng);
    const res = p.resources[resIndex] as ApiResource;
    const ns = res.namespaced ? rng.pick(p.namespaces) : undefined;
    const names = p.names.get(res.resource) as readonly string[];
    const name = verb !== 'list' && verb !== 'watch' ? rng.pick(names) : undefined;
    const userIndex = p.userTable.sample(rng);
    const tenantIndex = this.#tenants.sample(rng);
    const receivedMs = this.#clock.at(this.#index, rng);
    const latencyMs = rng.logNormal(MEDIAN_LATENCY_MS[verb] ?? 5, 0.7);
    const roll = rng.float();
    let failure: Failure | undefined;
    if (roll < o.errors5xx) failure = rng.pick(FAILURES_5XX);
    else if (roll < o.errors5xx + o.errors4xx) failure = rng.pick(FAILURES_4XX[verb] ?? FAILURES_5XX);
    const code = failure !== undefined ? failure[0] : verb === 'create' ? 201 : 200;
    const prefix = res.group === '' ? `/api/${res.version}` : `/apis/${res.group}/${res.version}`;
    const base = ns === undefined ? `${prefix}/${res.resource}` : `${prefix}/namespaces/${ns}/${res.resource}`;
    const requestURI = verb === 'list' ? `${base}?limit=500` : verb === 'watch' ? `${base}?watch=true` : verb === 'create' ? base : `${base}/${name as string}`;
    const auditID = this.#ids.uuid(this.#stream, this.#issued++, rng);
    const received = this.#iso.micros(receivedMs);
    const completed = this.#isoStage.micros(receivedMs + latencyMs);
    const reasonIndex = rng.int(ALLOW_REASONS.length);
    let requestObject: unknown;
    let responseObject: unknown;
    if (o.level !== 'Metadata') {
      const make = () =>
        buildObject({ resource: res, name: name ?? (rng.pick(names)), namespace: ns, uid: this.#ids.uuid(this.#stream, this.#issued++, rng), createdAt: received, padBytes: o.objectBytes }, rng);
      if (verb === 'create' || verb === 'update') requestObject = make();
      else if (verb === 'patch') requestObject = buildPatch(rng);
      if (o.level === 'RequestResponse' && code < 300 && verb !== 'list' && verb !== 'watch') responseObject = make();
    }
    return { verb, resIndex, ns, name, requestURI, userIndex, tenantIndex, auditID, received, completed, code, failure, reasonIndex, requestObject, responseObject };
  }

  #eventOf(d: Draw): AuditEvent {
    const p = this.#pools;
    const res = p.resources[d.resIndex] as ApiResource;
    const user = p.users[d.userIndex] as AuditUser;
    const allowed = d.code !== 403;
    const event: AuditEvent = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: this.#o.level,
      auditID: d.auditID,
      stage: 'ResponseComplete',
      requestURI: d.requestURI,
      verb: d.verb,
      user: { username: user.username, uid: user.uid, groups: [...user.groups] },
      sourceIPs: [user.sourceIp],
      userAgent: user.userAgent,
      objectRef: { resource: res.resource, namespace: d.ns, name: d.name, apiGroup: res.group === '' ? undefined : res.group, apiVersion: res.version },
      responseStatus: d.failure === undefined ? { metadata: {}, code: d.code } : failureStatus(d),
      requestReceivedTimestamp: d.received,
      stageTimestamp: d.completed,
      annotations: {
        'authorization.k8s.io/decision': allowed ? 'allow' : 'forbid',
        'authorization.k8s.io/reason': allowed ? (ALLOW_REASONS[d.reasonIndex] as string) : '',
        'platform.miloapis.com/scope.type': this.#o.scopeType,
        'platform.miloapis.com/scope.name': p.tenantNames[d.tenantIndex] as string,
      },
    };
    if (d.requestObject !== undefined) event.requestObject = d.requestObject;
    if (d.responseObject !== undefined) event.responseObject = d.responseObject;
    if (this.#o.stages === 'all') return this.#withEarlierStages(event);
    return event;
  }

  // RequestReceived (and ResponseStarted for a watch) precede ResponseComplete: queue them in
  // reverse so pop() hands them out in order, and return the first.
  #withEarlierStages(complete: AuditEvent): AuditEvent {
    const { responseStatus: _s, responseObject: _o, ...head } = complete;
    this.#pending.push(complete);
    if (complete.verb === 'watch') this.#pending.push({ ...head, stage: 'ResponseStarted', responseStatus: { metadata: {}, code: 200 }, stageTimestamp: complete.requestReceivedTimestamp });
    return { ...head, stage: 'RequestReceived', stageTimestamp: complete.requestReceivedTimestamp };
  }
}

function failureStatus(d: Draw): NonNullable<AuditEvent['responseStatus']> {
  const [code, reason] = d.failure as Failure;
  return { metadata: {}, status: 'Failure', reason, message: `${d.requestURI.split('?')[0] as string}: ${reason}`, code };
}
