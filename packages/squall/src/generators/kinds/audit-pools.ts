import { AliasTable } from '../alias-table.js';
import type { Prng } from '../prng.js';
import { randomHex } from '../unique-id.js';
import { API_RESOURCES, APP_WORDS, COMMON_NAMESPACES, HUMAN_HANDLES, KUBE_VERSIONS, SERVICE_ACCOUNTS, SYSTEM_USERS, type ApiResource } from './audit-vocab.js';

/** A requesting identity with the fields that travel with it. */
export interface AuditUser {
  readonly username: string;
  readonly uid: string;
  readonly groups: string[];
  readonly sourceIp: string;
  readonly userAgent: string;
}

/** Strings built once per generator so the per-event path only picks from arrays. */
export interface AuditPools {
  readonly tenantNames: readonly string[];
  readonly namespaces: readonly string[];
  readonly resources: readonly ApiResource[];
  readonly resourceTable: AliasTable;
  readonly names: ReadonlyMap<string, readonly string[]>;
  readonly users: readonly AuditUser[];
  readonly userTable: AliasTable;
}

interface PoolOptions {
  readonly tenants: number;
  readonly tenantPrefix: string;
  readonly namespaces: number;
  readonly names: number;
  readonly users: Readonly<Record<string, number>>;
}

const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

function suffix(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += SUFFIX_CHARS[rng.int(SUFFIX_CHARS.length)];
  return s;
}

function objectName(res: ApiResource, rng: Prng): string {
  const app = rng.pick(APP_WORDS);
  switch (res.resource) {
    case 'pods':
      return `${app}-${randomHex(rng, 8).slice(0, 10)}-${suffix(rng, 5)}`;
    case 'replicasets':
      return `${app}-${randomHex(rng, 8).slice(0, 10)}`;
    case 'jobs':
      return `${app}-${rng.range(28_000_000, 29_999_999)}`;
    case 'nodes':
      return `node-${rng.int(10_000)}`;
    case 'namespaces':
      return `team-${app}-${rng.int(100)}`;
    default:
      return `${app}-${suffix(rng, 5)}`;
  }
}

/** Builds the pools for `o` from `rng` (a PRNG seeded by the generator seed alone). */
export function auditPools(o: PoolOptions, rng: Prng): AuditPools {
  const tenantNames = Array.from({ length: o.tenants }, (_, i) => `${o.tenantPrefix}${i + 1}`);
  // Shuffle so the noisiest Zipf tenant is not always number 1, yet fixed for the seed.
  for (let i = tenantNames.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [tenantNames[i], tenantNames[j]] = [tenantNames[j] as string, tenantNames[i] as string];
  }
  const namespaces = Array.from({ length: o.namespaces }, (_, i) => COMMON_NAMESPACES[i] ?? `team-${APP_WORDS[i % APP_WORDS.length]}-${i}`);
  const names = new Map<string, readonly string[]>();
  for (const res of API_RESOURCES) names.set(res.resource, Array.from({ length: o.names }, () => objectName(res, rng)));

  // The line serializer writes these without escaping; DNS-label characters need none.
  for (const s of [...namespaces, ...[...names.values()].flat()]) {
    if (!/^[a-z0-9.-]+$/.test(s)) throw new Error(`audit pools: ${JSON.stringify(s)} is not a DNS name (bug in squall)`);
  }
  const users: AuditUser[] = [];
  const userWeights: number[] = [];
  const addGroup = (count: number, share: number, make: (i: number) => Omit<AuditUser, 'uid'>) => {
    if (share <= 0) return;
    for (let i = 0; i < count; i++) {
      users.push({ ...make(i), uid: `${randomHex(rng, 8)}-${randomHex(rng, 8).slice(0, 4)}` });
      userWeights.push(share / count);
    }
  };
  const version = () => rng.pick(KUBE_VERSIONS);
  addGroup(40, o.users.serviceaccount ?? 0, (i) => {
    const ns = namespaces[i % namespaces.length] as string;
    const sa = i < SERVICE_ACCOUNTS.length ? (SERVICE_ACCOUNTS[i] as string) : `${APP_WORDS[i % APP_WORDS.length]}-sa`;
    return {
      username: `system:serviceaccount:${ns}:${sa}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      sourceIp: `10.${rng.int(256)}.${rng.int(256)}.${rng.range(1, 254)}`,
      userAgent: `${sa}/${version()} (linux/amd64) kubernetes/${randomHex(rng, 8).slice(0, 7)}`,
    };
  });
  addGroup(SYSTEM_USERS.length, o.users.system ?? 0, (i) => {
    const username = SYSTEM_USERS[i] as string;
    const component = username.split(':').pop() as string;
    return {
      username,
      groups: ['system:authenticated'],
      sourceIp: `10.0.0.${rng.range(2, 20)}`,
      userAgent: `${component}/${version()} (linux/amd64) kubernetes/${randomHex(rng, 8).slice(0, 7)}`,
    };
  });
  addGroup(25, o.users.human ?? 0, (i) => ({
    username: `${HUMAN_HANDLES[i % HUMAN_HANDLES.length]}-${i + 1}@example.com`,
    groups: ['system:authenticated', rng.chance(0.3) ? 'tenant-admins' : 'developers'],
    // RFC 5737 documentation ranges: never a real address.
    sourceIp: `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.range(1, 254)}`,
    userAgent: `kubectl/${version()} (${rng.pick(['darwin/arm64', 'linux/amd64', 'windows/amd64'])}) kubernetes/${randomHex(rng, 8).slice(0, 7)}`,
  }));
  return {
    tenantNames,
    namespaces,
    resources: API_RESOURCES,
    resourceTable: new AliasTable(API_RESOURCES.map((r) => r.weight)),
    names,
    users,
    userTable: new AliasTable(userWeights),
  };
}
