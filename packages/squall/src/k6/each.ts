/**
 * `xs.forEach(fn)` and friends when `fn` blocks: the transform rewrites them to
 * `await each('forEach', xs, fn)`, which calls `fn` for one element at a time and awaits it,
 * so the requests inside run in order, as they would in k6.
 */
type Callback = (...args: unknown[]) => unknown;

function elements(target: unknown, method: string): { items: unknown[]; owner: unknown } {
  if (Array.isArray(target)) return { items: target, owner: target };
  if (target instanceof Map) return { items: [...target.entries()], owner: target };
  if (target !== null && typeof target === 'object' && Symbol.iterator in target) return { items: [...(target as Iterable<unknown>)], owner: target };
  throw new TypeError(`.${method}(): the receiver is ${target === null ? 'null' : typeof target}, not an array`);
}

/** Runs `method` of `target` with an async callback, sequentially; same results as the sync method. */
export async function runEach(method: string, target: unknown, fn: Callback, ...rest: unknown[]): Promise<unknown> {
  const { items, owner } = elements(target, method);
  const isMap = target instanceof Map;
  const call = (item: unknown, i: number): unknown => {
    if (isMap) {
      const [k, v] = item as [unknown, unknown];
      return fn.call(rest[0], v, k, owner);
    }
    return fn.call(rest[0], item, i, owner);
  };
  switch (method) {
    case 'forEach':
      for (let i = 0; i < items.length; i++) await call(items[i], i);
      return undefined;
    case 'map': {
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) out.push(await call(items[i], i));
      return out;
    }
    case 'flatMap': {
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) out.push(...([] as unknown[]).concat(await call(items[i], i)));
      return out;
    }
    case 'filter': {
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) if (await call(items[i], i)) out.push(items[i]);
      return out;
    }
    case 'some':
      for (let i = 0; i < items.length; i++) if (await call(items[i], i)) return true;
      return false;
    case 'every':
      for (let i = 0; i < items.length; i++) if (!(await call(items[i], i))) return false;
      return true;
    case 'find':
      for (let i = 0; i < items.length; i++) if (await call(items[i], i)) return items[i];
      return undefined;
    case 'findIndex':
      for (let i = 0; i < items.length; i++) if (await call(items[i], i)) return i;
      return -1;
    case 'reduce': {
      let i = 0;
      let acc: unknown;
      if (rest.length > 0) acc = rest[0];
      else {
        if (items.length === 0) throw new TypeError('Reduce of empty array with no initial value');
        acc = items[i++];
      }
      for (; i < items.length; i++) acc = await fn(acc, items[i], i, owner);
      return acc;
    }
    default:
      throw new TypeError(`squall cannot run .${method}() with a blocking callback`);
  }
}
