/** A member of a SlotSet: carries its own position, -1 while it is in no set. */
export interface SlotMember {
  slot: number;
}

/**
 * A set of objects that each belong to at most one such set at a time, with add, has and delete
 * in O(1) and no allocation once the array has grown to its largest size. Built for sets that
 * churn thousands of times a second on a long-lived owner (the VUs with an iteration in flight,
 * the waits a stop must wake): V8's Set allocates a new hash table whenever deletions leave it
 * sparse, and a table referenced by an object in the old generation is promoted there, which grew
 * a worker's heap by about 0.1 MB/s at 2,500 iterations/s (docs/benchmarks.md, goal 5).
 * Order is not kept (deletion moves the last member into the hole).
 */
export class SlotSet<T extends SlotMember> {
  readonly #members: T[] = [];

  get size(): number {
    return this.#members.length;
  }

  /** Adds `member` (which must not be in any SlotSet). */
  add(member: T): void {
    member.slot = this.#members.length;
    this.#members.push(member);
  }

  has(member: T): boolean {
    return member.slot >= 0 && this.#members[member.slot] === member;
  }

  /** Removes `member`; false when it was not in this set. */
  delete(member: T): boolean {
    const slot = member.slot;
    const members = this.#members;
    if (slot < 0 || members[slot] !== member) return false;
    const last = members.pop() as T;
    if (last !== member) {
      members[slot] = last;
      last.slot = slot;
    }
    member.slot = -1;
    return true;
  }

  /** The members now, as a new array (safe to iterate while deleting). */
  toArray(): T[] {
    return [...this.#members];
  }
}
