import { describe, expect, it } from 'vitest';
import { SlotSet } from './slot-set.js';

describe('SlotSet', () => {
  it('agrees with a Set under random adds and deletes', () => {
    const members = Array.from({ length: 50 }, (_, id) => ({ id, slot: -1 }));
    const set = new SlotSet<(typeof members)[number]>();
    const model = new Set<(typeof members)[number]>();
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 5000; i++) {
      const m = members[Math.floor(rand() * members.length)] as (typeof members)[number];
      if (rand() < 0.5) {
        if (!model.has(m)) {
          set.add(m);
          model.add(m);
        }
      } else {
        expect(set.delete(m)).toBe(model.delete(m));
      }
      expect(set.size).toBe(model.size);
    }
    for (const m of members) expect(set.has(m)).toBe(model.has(m));
    expect(new Set(set.toArray())).toEqual(model);
  });

  it('does not count a member of another set as its own', () => {
    const a = new SlotSet<{ slot: number }>();
    const b = new SlotSet<{ slot: number }>();
    const x = { slot: -1 };
    const y = { slot: -1 };
    a.add(x);
    b.add(y);
    expect(a.has(y)).toBe(false);
    expect(a.delete(y)).toBe(false);
    expect(b.has(y)).toBe(true);
  });
});
