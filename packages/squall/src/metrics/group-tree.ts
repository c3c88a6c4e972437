import { createHash } from 'node:crypto';
import type { CheckSummary, GroupSummary } from './types.js';

/** One check's tally in one group, as read from a `checks` Rate series. */
export interface CheckTally {
  /** Group path: `::a::b` for group b inside group a; `''` (or absent tag) for the root. */
  readonly groupPath: string;
  readonly check: string;
  readonly passes: number;
  readonly fails: number;
}

interface MutableGroup {
  readonly name: string;
  readonly path: string;
  readonly groups: Map<string, MutableGroup>;
  readonly checks: Map<string, { passes: number; fails: number }>;
}

/** k6's ids are the md5 hex of the path; keeping that makes ids match k6's for the same script. */
function pathId(path: string): string {
  return createHash('md5').update(path).digest('hex');
}

function newGroup(name: string, path: string): MutableGroup {
  return { name, path, groups: new Map(), checks: new Map() };
}

function findGroup(root: MutableGroup, groupPath: string): MutableGroup {
  let group = root;
  if (groupPath === '') return group;
  // k6 forbids '::' inside group names, so splitting the path is unambiguous.
  const names = groupPath.startsWith('::') ? groupPath.slice(2).split('::') : groupPath.split('::');
  for (const name of names) {
    let child = group.groups.get(name);
    if (child === undefined) {
      child = newGroup(name, `${group.path}::${name}`);
      group.groups.set(name, child);
    }
    group = child;
  }
  return group;
}

function freeze(group: MutableGroup): GroupSummary {
  const checks: CheckSummary[] = [];
  for (const [name, tally] of group.checks) {
    const path = `${group.path}::${name}`;
    checks.push({ name, path, id: pathId(path), passes: tally.passes, fails: tally.fails });
  }
  return {
    name: group.name,
    path: group.path,
    id: pathId(group.path),
    groups: [...group.groups.values()].map(freeze),
    checks,
  };
}

/**
 * Builds k6's `root_group` from check tallies. Groups and checks keep first-seen order (k6 shows
 * them in script order); tallies for the same group and check add up. Groups with no checks of their
 * own still appear when a nested group has checks.
 */
export function buildRootGroup(tallies: Iterable<CheckTally>): GroupSummary {
  const root = newGroup('', '');
  for (const tally of tallies) {
    const group = findGroup(root, tally.groupPath);
    const existing = group.checks.get(tally.check);
    if (existing === undefined) group.checks.set(tally.check, { passes: tally.passes, fails: tally.fails });
    else {
      existing.passes += tally.passes;
      existing.fails += tally.fails;
    }
  }
  return freeze(root);
}
