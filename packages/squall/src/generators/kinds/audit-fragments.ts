import type { AuditOptions } from './audit.js';
import type { AuditPools, AuditUser } from './audit-pools.js';
import { ALLOW_REASONS, type ApiResource } from './audit-vocab.js';

const j = JSON.stringify;
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
/** `IsoTime#writeMicros` writes at most this many bytes. */
const MAX_TIMESTAMP_BYTES = 32;
const longest = (items: readonly { length: number }[]): number => items.reduce((n, b) => Math.max(n, b.length), 0);

/**
 * Fragments whose count follows an option (tenants up to 1,000,000, names per resource too):
 * encoded on first use, so memory follows what a run touches rather than the option.
 */
export class LazyBytes {
  readonly #cache: (Buffer | undefined)[];
  readonly #make: (i: number) => string;

  constructor(size: number, make: (i: number) => string) {
    this.#cache = new Array<Buffer | undefined>(size);
    this.#make = make;
  }

  get(i: number): Buffer {
    return this.#cache[i] ?? (this.#cache[i] = bytes(this.#make(i)));
  }
}

/**
 * The JSON text of an audit event line, pre-encoded as bytes in the pieces between the values
 * drawn per event (key names and the constant values around them included), so the line writer
 * only copies buffers and writes ids and timestamps as ASCII. Pieces that always follow each
 * other are joined (a buffer copy costs about as much for 10 bytes as for 300). Key order is that
 * of the event object (`AuditSource#next`), so the bytes equal `JSON.stringify` of it.
 */
export class AuditFragments {
  /** `{"kind":"Event",...,"auditID":"` */
  readonly head: Buffer;
  /** Per resource and namespace (`uriKey`): `","stage":"ResponseComplete","requestURI":"/apis/apps/v1/namespaces/NS/deployments` */
  readonly uri: LazyBytes;
  readonly listQuery = bytes('?limit=500');
  readonly watchQuery = bytes('?watch=true');
  /** Per resource, per name: `/NAME` */
  readonly nameSlash: readonly LazyBytes[];
  /** Per verb (index into the source's verb list) and user (`verbUserKey`): `","verb":"get","user":{...},...,"objectRef":{"resource":` */
  readonly verbUser: LazyBytes;
  /** Per resource and namespace (`uriKey`): `"pods","namespace":"NS"` (`"nodes"` for cluster-scoped resources). */
  readonly resourceNs: LazyBytes;
  /** Per resource, per name: `,"name":"NAME","apiVersion":"v1"},"responseStatus":` */
  readonly nameTail: readonly LazyBytes[];
  /** Per resource: `,"apiGroup":"apps","apiVersion":"v1"},"responseStatus":` (no name: list, watch). */
  readonly refTail: readonly Buffer[];
  /** `{"metadata":{},"code":200},"requestReceivedTimestamp":"` and the same for 201. */
  readonly ok200: Buffer;
  readonly ok201: Buffer;
  /** After a failure status: `,"requestReceivedTimestamp":"` */
  readonly receivedKey = bytes(',"requestReceivedTimestamp":"');
  readonly stageKey = bytes('","stageTimestamp":"');
  /** Per allow reason: `","annotations":{"authorization.k8s.io/decision":"allow",...reason` */
  readonly allow: readonly Buffer[];
  readonly forbid: Buffer;
  /** Per tenant: `,"platform.miloapis.com/scope.type":...,"platform.miloapis.com/scope.name":"T"}` */
  readonly tenants: LazyBytes;
  /** Most bytes a line takes without a failure status, request or response object. */
  readonly maxLineBytes: number;
  readonly #namespaces: number;
  readonly #users: number;

  constructor(o: AuditOptions, p: AuditPools, verbNames: readonly string[]) {
    const names = p.resources.map((r) => p.names.get(r.resource) as readonly string[]);
    const resource = (key: number) => p.resources[Math.floor(key / this.#namespaces)] as ApiResource;
    const namespace = (key: number) => p.namespaces[key % this.#namespaces] as string;
    this.#namespaces = p.namespaces.length;
    this.#users = p.users.length;
    this.head = bytes(`{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":${j(o.level)},"auditID":"`);
    // Namespaces and names are DNS names (audit-pools checks): JSON needs no escapes in them.
    this.uri = new LazyBytes(p.resources.length * this.#namespaces, (key) => {
      const r = resource(key);
      const prefix = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
      return `","stage":"ResponseComplete","requestURI":"${prefix}${r.namespaced ? `/namespaces/${namespace(key)}` : ''}/${r.resource}`;
    });
    this.nameSlash = names.map((list) => new LazyBytes(list.length, (i) => `/${list[i] as string}`));
    const users = p.users.map((u) => `"user":${j({ username: u.username, uid: u.uid, groups: u.groups })},"sourceIPs":[${j(u.sourceIp)}],"userAgent":${j(u.userAgent)},"objectRef":{"resource":`);
    const verbs = verbNames.map((v) => `","verb":${j(v)},`);
    this.verbUser = new LazyBytes(verbs.length * this.#users, (key) => `${verbs[Math.floor(key / this.#users)] as string}${users[key % this.#users] as string}`);
    this.resourceNs = new LazyBytes(p.resources.length * this.#namespaces, (key) => {
      const r = resource(key);
      return `${j(r.resource)}${r.namespaced ? `,"namespace":"${namespace(key)}"` : ''}`;
    });
    this.refTail = p.resources.map((r) => bytes(`${r.group === '' ? '' : `,"apiGroup":${j(r.group)}`},"apiVersion":${j(r.version)}},"responseStatus":`));
    this.nameTail = names.map((list, res) => new LazyBytes(list.length, (i) => `,"name":"${list[i] as string}"${(this.refTail[res] as Buffer).toString()}`));
    this.ok200 = bytes('{"metadata":{},"code":200},"requestReceivedTimestamp":"');
    this.ok201 = bytes('{"metadata":{},"code":201},"requestReceivedTimestamp":"');
    this.allow = ALLOW_REASONS.map((r) => bytes(`","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":${j(r)}`));
    this.forbid = bytes('","annotations":{"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":""');
    // Tenant names are the tenant prefix (lowercase DNS characters) and a number: no escapes.
    const scope = `,"platform.miloapis.com/scope.type":${j(o.scopeType)},"platform.miloapis.com/scope.name":`;
    this.tenants = new LazyBytes(p.tenantNames.length, (i) => `${scope}${j(p.tenantNames[i] as string)}}`);

    // The longest line takes the longest of each piece; the longest namespace and name give the
    // longest pieces they are part of.
    const longestAt = (items: readonly string[]) => items.reduce((best, x, i) => (x.length > (items[best] as string).length ? i : best), 0);
    const ns = longestAt(p.namespaces);
    const byResource = (size: (res: number) => number) => p.resources.reduce((n, _r, res) => Math.max(n, size(res)), 0);
    const utf8 = (items: readonly string[]) => longest(items.map(bytes));
    this.maxLineBytes =
      this.head.length + 36 +
      byResource((r) => this.uri.get(this.uriKey(r, ns)).length + Math.max(this.listQuery.length, this.watchQuery.length, (this.nameSlash[r] as LazyBytes).get(longestAt(names[r] as readonly string[])).length)) +
      utf8(verbs) + utf8(users) +
      byResource((r) => this.resourceNs.get(this.uriKey(r, ns)).length + (this.nameTail[r] as LazyBytes).get(longestAt(names[r] as readonly string[])).length) +
      Math.max(this.ok200.length, this.ok201.length) + MAX_TIMESTAMP_BYTES + this.stageKey.length + MAX_TIMESTAMP_BYTES +
      Math.max(this.forbid.length, longest(this.allow)) + scope.length + (p.tenantNames[longestAt(p.tenantNames)] as string).length + 3 + 1;
  }

  /** Key of `uri` and `resourceNs`; `nsIndex` -1 for a cluster-scoped resource. */
  uriKey(resIndex: number, nsIndex: number): number {
    return resIndex * this.#namespaces + (nsIndex < 0 ? 0 : nsIndex);
  }

  /** Key of `verbUser`. */
  verbUserKey(verbIndex: number, userIndex: number): number {
    return verbIndex * this.#users + userIndex;
  }
}
