import { AliasTable, zipfWeights } from '../alias-table.js';
import { EventClock } from '../event-clock.js';
import type { RecordSource, StreamContext } from '../generator-def.js';
import { IsoTime } from '../iso-time.js';
import { LineBuffer } from '../line-buffer.js';
import { Prng } from '../prng.js';
import { formatUuid, UniqueIds, writeUuid } from '../unique-id.js';
import type { AuditEvent, AuditOptions } from './audit.js';
import { AuditFragments, type LazyBytes } from './audit-fragments.js';
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

/** Everything random about one request: drawn into one object per source, reused for every event. */
class Draw {
  verbIndex = 0;
  verb = '';
  resIndex = 0;
  /** -1: a cluster-scoped resource. */
  nsIndex = -1;
  /** -1: list and watch name no object. */
  nameIndex = -1;
  userIndex = 0;
  tenantIndex = 0;
  receivedMs = 0;
  completedMs = 0;
  code = 200;
  failure: Failure | undefined;
  reasonIndex = 0;
  /** The auditID as four 32-bit words (`UniqueIds#words`). */
  readonly id = new Uint32Array(4);
  requestObject: unknown;
  responseObject: unknown;
}

/** One stream of audit events (see `auditGenerator`). */
export class AuditSource implements RecordSource<AuditEvent> {
  readonly #o: AuditOptions;
  readonly #stream: number;
  readonly #rng: Prng;
  readonly #ids: UniqueIds;
  readonly #clock: EventClock;
  readonly #pools: AuditPools;
  /** Object names per resource index. */
  readonly #names: readonly (readonly string[])[];
  readonly #frag: AuditFragments;
  readonly #verbs: AliasTable;
  readonly #verbNames: readonly string[];
  readonly #verbLatencyMs: readonly number[];
  readonly #tenants: AliasTable;
  readonly #iso = new IsoTime();
  readonly #isoStage = new IsoTime();
  readonly #d = new Draw();
  /** Where `nextLine` writes before decoding the line. */
  readonly #scratch = new LineBuffer(64 * 1024);
  #index = 0;
  #issued = 0;
  readonly #pending: AuditEvent[] = [];

  constructor(o: AuditOptions, ctx: StreamContext) {
    this.#o = o;
    this.#stream = ctx.stream;
    // Pools depend on the seed only, so every VU sees the same tenants, namespaces and names.
    this.#pools = auditPools(o, Prng.from(ctx.seed, ctx.salt, POOL_STREAM));
    this.#names = this.#pools.resources.map((r) => this.#pools.names.get(r.resource) as readonly string[]);
    this.#rng = Prng.from(ctx.seed, ctx.salt, ctx.stream);
    this.#ids = new UniqueIds(ctx.seed, ctx.salt);
    this.#clock = new EventClock(o, ctx.count);
    this.#verbNames = AUDIT_VERBS.filter((v) => (o.verbs[v] ?? 0) > 0);
    this.#verbLatencyMs = this.#verbNames.map((v) => MEDIAN_LATENCY_MS[v] ?? 5);
    this.#verbs = new AliasTable(this.#verbNames.map((v) => o.verbs[v] ?? 0));
    this.#tenants = new AliasTable(o.skew === 'zipf' ? zipfWeights(o.tenants, o.zipfExponent) : new Array<number>(o.tenants).fill(1));
    this.#frag = new AuditFragments(o, this.#pools, this.#verbNames);
  }

  next(): AuditEvent {
    let event = this.#pending.pop();
    if (event === undefined) {
      this.#draw();
      event = this.#eventOf(this.#d);
    }
    this.#index++;
    return event;
  }

  nextLine(): string {
    if (this.#o.stages === 'all') return JSON.stringify(this.next());
    const out = this.#scratch;
    out.reset();
    this.writeLine(out);
    return out.text();
  }

  writeLine(out: LineBuffer): void {
    if (this.#o.stages === 'all') {
      out.string(JSON.stringify(this.next()));
      return;
    }
    this.#draw();
    this.#index++;
    const d = this.#d;
    const f = this.#frag;
    const res = d.resIndex;
    const uriKey = f.uriKey(res, d.nsIndex);
    let buf = out.reserve(f.maxLineBytes);
    let p = out.length;
    let b = f.head;
    buf.set(b, p);
    p = writeUuid(buf, p + b.length, d.id);
    b = f.uri.get(uriKey);
    buf.set(b, p);
    p += b.length;
    const verb = d.verb;
    if (verb !== 'create') {
      b = verb === 'list' ? f.listQuery : verb === 'watch' ? f.watchQuery : (f.nameSlash[res] as LazyBytes).get(d.nameIndex);
      buf.set(b, p);
      p += b.length;
    }
    b = f.verbUser.get(f.verbUserKey(d.verbIndex, d.userIndex));
    buf.set(b, p);
    p += b.length;
    b = f.resourceNs.get(uriKey);
    buf.set(b, p);
    p += b.length;
    b = d.nameIndex >= 0 ? (f.nameTail[res] as LazyBytes).get(d.nameIndex) : (f.refTail[res] as Buffer);
    buf.set(b, p);
    p += b.length;
    if (d.failure === undefined) {
      b = d.code === 201 ? f.ok201 : f.ok200;
    } else {
      out.length = p;
      out.string(JSON.stringify(this.#failureStatus(d)));
      buf = out.reserve(f.maxLineBytes);
      p = out.length;
      b = f.receivedKey;
    }
    buf.set(b, p);
    p = this.#iso.writeMicros(buf, p + b.length, d.receivedMs);
    b = f.stageKey;
    buf.set(b, p);
    p = this.#isoStage.writeMicros(buf, p + b.length, d.completedMs);
    b = d.code === 403 ? f.forbid : (f.allow[d.reasonIndex] as Buffer);
    buf.set(b, p);
    p += b.length;
    b = f.tenants.get(d.tenantIndex);
    buf.set(b, p);
    out.length = p + b.length;
    if (d.requestObject !== undefined) out.string(`,"requestObject":${JSON.stringify(d.requestObject)}`);
    if (d.responseObject !== undefined) out.string(`,"responseObject":${JSON.stringify(d.responseObject)}`);
    out.byte(125);
  }

  // Draws in a fixed order: the same seed gives the same events, whichever way they are shaped.
  #draw(): void {
    const rng = this.#rng;
    const o = this.#o;
    const p = this.#pools;
    const d = this.#d;
    const verbIndex = this.#verbs.sample(rng);
    const verb = this.#verbNames[verbIndex] as string;
    const resIndex = p.resourceTable.sample(rng);
    const res = p.resources[resIndex] as ApiResource;
    d.verbIndex = verbIndex;
    d.verb = verb;
    d.resIndex = resIndex;
    d.nsIndex = res.namespaced ? rng.int(p.namespaces.length) : -1;
    const names = this.#names[resIndex] as readonly string[];
    d.nameIndex = verb !== 'list' && verb !== 'watch' ? rng.int(names.length) : -1;
    d.userIndex = p.userTable.sample(rng);
    d.tenantIndex = this.#tenants.sample(rng);
    const receivedMs = this.#clock.at(this.#index, rng);
    const latencyMs = rng.logNormal(this.#verbLatencyMs[verbIndex] as number, 0.7);
    const roll = rng.float();
    let failure: Failure | undefined;
    if (roll < o.errors5xx) failure = rng.pick(FAILURES_5XX);
    else if (roll < o.errors5xx + o.errors4xx) failure = rng.pick(FAILURES_4XX[verb] ?? FAILURES_5XX);
    d.failure = failure;
    d.code = failure !== undefined ? failure[0] : verb === 'create' ? 201 : 200;
    this.#ids.words(this.#stream, this.#issued++, rng, d.id);
    d.receivedMs = receivedMs;
    d.completedMs = receivedMs + latencyMs;
    d.reasonIndex = rng.int(ALLOW_REASONS.length);
    d.requestObject = undefined;
    d.responseObject = undefined;
    if (o.level !== 'Metadata') {
      const received = this.#iso.micros(receivedMs);
      const ns = d.nsIndex >= 0 ? p.namespaces[d.nsIndex] : undefined;
      const name = d.nameIndex >= 0 ? names[d.nameIndex] : undefined;
      const make = () =>
        buildObject({ resource: res, name: name ?? (rng.pick(names)), namespace: ns, uid: this.#ids.uuid(this.#stream, this.#issued++, rng), createdAt: received, padBytes: o.objectBytes }, rng);
      if (verb === 'create' || verb === 'update') d.requestObject = make();
      else if (verb === 'patch') d.requestObject = buildPatch(rng);
      if (o.level === 'RequestResponse' && d.code < 300 && verb !== 'list' && verb !== 'watch') d.responseObject = make();
    }
  }

  #requestURI(d: Draw): string {
    const p = this.#pools;
    const res = p.resources[d.resIndex] as ApiResource;
    const prefix = res.group === '' ? `/api/${res.version}` : `/apis/${res.group}/${res.version}`;
    const base = d.nsIndex < 0 ? `${prefix}/${res.resource}` : `${prefix}/namespaces/${p.namespaces[d.nsIndex] as string}/${res.resource}`;
    const verb = d.verb;
    return verb === 'list' ? `${base}?limit=500` : verb === 'watch' ? `${base}?watch=true` : verb === 'create' ? base : `${base}/${(this.#names[d.resIndex] as readonly string[])[d.nameIndex] as string}`;
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
      auditID: formatUuid(d.id),
      stage: 'ResponseComplete',
      requestURI: this.#requestURI(d),
      verb: d.verb,
      user: { username: user.username, uid: user.uid, groups: [...user.groups] },
      sourceIPs: [user.sourceIp],
      userAgent: user.userAgent,
      objectRef: {
        resource: res.resource,
        namespace: d.nsIndex < 0 ? undefined : p.namespaces[d.nsIndex],
        name: d.nameIndex < 0 ? undefined : (this.#names[d.resIndex] as readonly string[])[d.nameIndex],
        apiGroup: res.group === '' ? undefined : res.group,
        apiVersion: res.version,
      },
      responseStatus: d.failure === undefined ? { metadata: {}, code: d.code } : this.#failureStatus(d),
      requestReceivedTimestamp: this.#iso.micros(d.receivedMs),
      stageTimestamp: this.#isoStage.micros(d.completedMs),
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

  #failureStatus(d: Draw): NonNullable<AuditEvent['responseStatus']> {
    const [code, reason] = d.failure as Failure;
    return { metadata: {}, status: 'Failure', reason, message: `${this.#requestURI(d).split('?')[0] as string}: ${reason}`, code };
  }
}
