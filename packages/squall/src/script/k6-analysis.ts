/**
 * Which functions of a k6 script can block (send a request, sleep, run a group), transitively,
 * so the transform can make exactly those async and await their calls. k6 VU code is
 * synchronous; squall's engine is not.
 *
 * Rules (docs/k6.md, "Synchronous code"):
 * - A call blocks when its callee is a blocking k6 API (http.get ... http.batch, sleep, group),
 *   a local function that blocks, a blocking export of a relative import, a parameter that some
 *   caller fills with a blocking function, or a method name that a blocking object/class method
 *   carries in this file.
 * - A function blocks when one of its own calls blocks (user `async` functions are left alone:
 *   they return promises in k6 too).
 * - A blocking function given to an API that cannot wait for it (sort, JSON.stringify, a check
 *   predicate, an unknown library) is an error with file:line.
 */
import { parse, type Options } from 'acorn';
import { analyze, type Scope, type Variable } from 'eslint-scope';
import { ancestor } from 'acorn-walk';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** An ESTree node as acorn builds it (locations on). */
export type Node = any;

export const ACORN_OPTIONS: Options = { ecmaVersion: 'latest', sourceType: 'module', locations: true, ranges: true, allowHashBang: true };

/** A blocking k6 API: module specifier -> export names that block. */
const BLOCKING_K6: Readonly<Record<string, ReadonlySet<string>>> = {
  k6: new Set(['sleep', 'group']),
  'k6/http': new Set(['get', 'post', 'put', 'patch', 'del', 'head', 'options', 'request', 'batch']),
};

/** Methods of a k6 Response that send a request (`res.submitForm()`, `res.clickLink()`). */
const BLOCKING_RESPONSE_METHODS = new Set(['submitForm', 'clickLink']);

/** Array methods whose callback the transform runs sequentially, awaiting each call. */
export const EACH_METHODS = new Set(['forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'flatMap', 'reduce']);
/** Callees that accept an async callback as it is (they await it, or fire and forget as k6 does). */
const ASYNC_SAFE_MEMBERS = new Set(['then', 'catch', 'finally']);
const ASYNC_SAFE_GLOBALS = new Set(['setTimeout', 'setInterval', 'queueMicrotask']);

/** What another file's analysis tells its importers. */
export interface ModuleFacts {
  /** Export names whose value is a blocking function. */
  readonly blockingExports: ReadonlySet<string>;
}

/** A problem the transform cannot solve; reported with the user's file:line. */
export interface AnalysisProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** The result for one file: what to rewrite, and what its importers need. */
export interface FileAnalysis {
  readonly ast: Node;
  /** Functions to turn async. */
  readonly asyncFunctions: ReadonlySet<Node>;
  /** Calls to await. */
  readonly awaitCalls: ReadonlySet<Node>;
  /** `xs.forEach(fn)` and friends whose callback blocks: rewritten to a sequential helper. */
  readonly eachCalls: ReadonlySet<Node>;
  /** Identifiers naming the global `open` (rewritten to resolve paths against this file). */
  readonly openRefs: readonly Node[];
  readonly problems: readonly AnalysisProblem[];
  readonly facts: ModuleFacts;
  /** Each function's parent node (methods: the Property / MethodDefinition). */
  readonly parents: ReadonlyMap<Node, Node>;
}

type Target =
  | { kind: 'k6'; source: string; name: string }
  | { kind: 'import'; source: string; name: string }
  | { kind: 'fn'; node: Node }
  | { kind: 'param'; fn: Node; index: number }
  | { kind: 'object'; node: Node }
  | { kind: 'member-name'; name: string; objectUnresolved: boolean }
  | { kind: 'global'; name: string }
  | { kind: 'unknown' };

const isFunction = (n: Node): boolean =>
  n != null && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression');

function memberName(m: Node): string | undefined {
  if (m.type !== 'MemberExpression') return undefined;
  if (!m.computed && m.property.type === 'Identifier') return m.property.name as string;
  if (m.computed && m.property.type === 'Literal' && typeof m.property.value === 'string') return m.property.value;
  return undefined;
}

/** Analyses one ES module's source. `importFacts(specifier)` gives the facts of a relative import (or undefined). */
export function analyzeModule(code: string, importFacts: (specifier: string) => ModuleFacts | undefined): FileAnalysis {
  const ast = parse(code, ACORN_OPTIONS) as Node;
  const manager = analyze(ast, { ecmaVersion: 2022, sourceType: 'module' } as never);
  const refs = new Map<Node, Variable | null>();
  const openRefs: Node[] = [];
  for (const scope of manager.scopes as Scope[]) {
    for (const r of scope.references) {
      refs.set(r.identifier, r.resolved);
      if (r.resolved === null && r.identifier.name === 'open') openRefs.push(r.identifier);
    }
  }
  // The innermost function around each call, and each function's calls.
  const callsOf = new Map<Node | null, Node[]>();
  const functions: Node[] = [];
  const enclosing = (ancestors: Node[]): Node | null => {
    for (let i = ancestors.length - 2; i >= 0; i--) if (isFunction(ancestors[i])) return ancestors[i];
    return null;
  };
  const parentOf = new Map<Node, Node>();
  ancestor(ast, {
    CallExpression(node: Node, _s: unknown, anc: Node[]) {
      const fn = enclosing(anc);
      (callsOf.get(fn) ?? callsOf.set(fn, []).get(fn)!).push(node);
    },
    Function(node: Node, _s: unknown, anc: Node[]) {
      functions.push(node);
      const p = anc[anc.length - 2];
      if (p) parentOf.set(node, p);
    },
  } as never);

  const variableTarget = (v: Variable): Target => {
    const def = v.defs[0];
    if (!def) return { kind: 'unknown' };
    if (def.type === 'ImportBinding') {
      const source = String((def.parent as Node).source.value);
      const spec = def.node as Node;
      const name = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*' : (spec.imported.name ?? spec.imported.value);
      return { kind: source in BLOCKING_K6 || source.startsWith('k6') ? 'k6' : 'import', source, name };
    }
    if (def.type === 'FunctionName') return { kind: 'fn', node: def.node };
    if (def.type === 'Parameter') {
      const fn = def.node as Node;
      const index = fn.params.findIndex((p: Node) => p.type === 'Identifier' && p.name === v.name);
      return index < 0 ? { kind: 'unknown' } : { kind: 'param', fn, index };
    }
    if (def.type === 'Variable') {
      const decl = def.node as Node;
      const writes = v.references.filter((r) => r.isWrite()).length;
      if (decl.id.type !== 'Identifier' || writes > 1) return { kind: 'unknown' };
      if (isFunction(decl.init)) return { kind: 'fn', node: decl.init };
      if (decl.init?.type === 'ObjectExpression') return { kind: 'object', node: decl.init };
    }
    return { kind: 'unknown' };
  };

  const targetOf = (callee: Node): Target => {
    if (callee.type === 'Identifier') {
      const v = refs.get(callee);
      if (v === undefined || v === null) return { kind: 'global', name: callee.name };
      return variableTarget(v);
    }
    if (isFunction(callee)) return { kind: 'fn', node: callee };
    const name = memberName(callee);
    if (name === undefined) return { kind: 'unknown' };
    const base = targetOf(callee.object);
    if ((base.kind === 'k6' || base.kind === 'import') && (base.name === 'default' || base.name === '*')) {
      return { ...base, name };
    }
    if (base.kind === 'object') {
      const prop = base.node.properties.find((p: Node) => p.type === 'Property' && !p.computed && (p.key.name ?? p.key.value) === name);
      if (prop && isFunction(prop.value)) return { kind: 'fn', node: prop.value };
    }
    return { kind: 'member-name', name, objectUnresolved: base.kind === 'unknown' || base.kind === 'global' };
  };

  const blocking = new Set<Node>();
  const blockingParams = new Set<string>();
  const paramKey = (fn: Node, i: number) => `${fn.start}:${i}`;
  const blockingMemberNames = new Set<string>();
  const targets = new Map<Node, Target>();
  for (const calls of callsOf.values()) for (const c of calls) targets.set(c, targetOf(c.callee));

  const fnOfArg = (arg: Node): Node | undefined => {
    if (isFunction(arg)) return arg;
    if (arg.type === 'Identifier') {
      const t = targetOf(arg);
      if (t.kind === 'fn') return t.node;
    }
    return undefined;
  };
  const targetBlocks = (t: Target): boolean => {
    switch (t.kind) {
      case 'k6':
        return BLOCKING_K6[t.source]?.has(t.name) ?? false;
      case 'import':
        return importFacts(t.source)?.blockingExports.has(t.name) ?? false;
      case 'fn':
        return blocking.has(t.node);
      case 'param':
        return blockingParams.has(paramKey(t.fn, t.index));
      case 'member-name':
        return (t.objectUnresolved && blockingMemberNames.has(t.name)) || BLOCKING_RESPONSE_METHODS.has(t.name);
      default:
        return false;
    }
  };
  const callBlocks = (c: Node): boolean => {
    const t = targets.get(c) as Target;
    if (targetBlocks(t)) return true;
    // `xs.forEach(blockingFn)` runs the callback: the rewritten call is awaited.
    const name = memberName(c.callee);
    if (name !== undefined && EACH_METHODS.has(name) && c.arguments[0] !== undefined) {
      const f = fnOfArg(c.arguments[0]);
      if (f !== undefined && blocking.has(f)) return true;
    }
    return false;
  };

  // An exported function that calls its parameter may be handed a blocking callback by another
  // file, which this analysis cannot see: its parameter calls are awaited (harmless when the
  // callback is synchronous), so the function blocks for its importers.
  const exported = exportedFunctions(ast);
  for (const [c, t] of targets) if (t.kind === 'param' && exported.has(t.fn)) blockingParams.add(paramKey(t.fn, t.index));

  // Fixed point: blocking functions, blocking parameters, blocking method names.
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of functions) {
      if (!blocking.has(fn) && !fn.async && (callsOf.get(fn) ?? []).some(callBlocks)) {
        blocking.add(fn);
        changed = true;
        const p = parentOf.get(fn);
        const owner = p?.type === 'Property' || p?.type === 'MethodDefinition' ? p : undefined;
        const key = owner && !owner.computed ? (owner.key.name ?? owner.key.value) : undefined;
        if (typeof key === 'string' && !EACH_METHODS.has(key)) blockingMemberNames.add(key);
        if (p?.type === 'AssignmentExpression' && p.left.type === 'MemberExpression') {
          const n = memberName(p.left);
          if (n !== undefined && !EACH_METHODS.has(n)) blockingMemberNames.add(n);
        }
      }
    }
    for (const [c, t] of targets) {
      if (t.kind !== 'fn') continue;
      c.arguments.forEach((arg: Node, i: number) => {
        const f = fnOfArg(arg);
        if (f !== undefined && blocking.has(f) && !blockingParams.has(paramKey(t.node, i))) {
          blockingParams.add(paramKey(t.node, i));
          changed = true;
        }
      });
    }
  }

  const problems: AnalysisProblem[] = [];
  const problem = (node: Node, message: string) => problems.push({ message, line: node.loc.start.line, column: node.loc.start.column });
  const awaitCalls = new Set<Node>();
  const eachCalls = new Set<Node>();
  for (const [fn, calls] of callsOf) {
    for (const c of calls) {
      const t = targets.get(c) as Target;
      const direct = targetBlocks(t);
      const name = memberName(c.callee);
      const cb = name !== undefined && EACH_METHODS.has(name) && c.arguments[0] !== undefined ? fnOfArg(c.arguments[0]) : undefined;
      const each = cb !== undefined && blocking.has(cb) && !direct;
      if (direct || each) {
        if (fn === null) {
          problem(c, `${describeCallee(c.callee)}() can block (it sends a request, sleeps or runs a group), and k6 does not allow that in init code (outside any function); move it into the default function or setup()`);
          continue;
        }
        if (fn.generator) {
          problem(c, `${describeCallee(c.callee)}() can block, but it is called in a generator function, which squall cannot make wait; use a plain function`);
          continue;
        }
        awaitCalls.add(c);
        if (each) eachCalls.add(c);
      }
      // A blocking function in an object handed to an API (a check predicate) is never awaited.
      if (t.kind !== 'fn' && t.kind !== 'param' && t.kind !== 'import') {
        for (const arg of c.arguments as Node[]) {
          if (arg.type !== 'ObjectExpression') continue;
          for (const prop of arg.properties as Node[]) {
            const f = prop.type === 'Property' ? fnOfArg(prop.value) : undefined;
            if (f !== undefined && blocking.has(f)) {
              problem(prop.value, `this function can block (it sends a request, sleeps or runs a group), but ${describeCallee(c.callee)}() calls it without waiting (a check predicate must be synchronous); send the request before ${describeCallee(c.callee)}() and check its response`);
            }
          }
        }
      }
      // A blocking function handed to something that would not wait for it.
      c.arguments.forEach((arg: Node, i: number) => {
        const f = fnOfArg(arg);
        if (f === undefined || !blocking.has(f)) return;
        if (argumentIsAwaited(t, name, i, each)) return;
        problem(
          arg,
          `this function can block (it sends a request, sleeps or runs a group), but ${describeCallee(c.callee)}() cannot wait for it ` +
            `(squall runs blocking code asynchronously); call the blocking code before or after ${describeCallee(c.callee)}() instead of inside its callback`,
        );
      });
    }
  }
  for (const fn of blocking) {
    const p = parentOf.get(fn);
    if ((p?.type === 'MethodDefinition' && p.kind !== 'method') || (p?.type === 'Property' && p.kind !== 'init')) {
      problem(fn, `a ${p.kind === 'constructor' ? 'constructor' : p.kind === 'get' ? 'getter' : 'setter'} cannot send requests or sleep in squall; move that code into a method`);
    }
  }
  const facts: ModuleFacts = { blockingExports: exportedBlocking(ast, targetOf, blocking, targetBlocks) };
  return { ast, asyncFunctions: blocking, awaitCalls, eachCalls, openRefs, problems, facts, parents: parentOf };
}

function argumentIsAwaited(t: Target, member: string | undefined, index: number, each: boolean): boolean {
  if (each && index === 0) return true;
  if (t.kind === 'k6') return (t.source === 'k6' && t.name === 'group' && index === 1) || t.source === 'k6/timers';
  if (t.kind === 'fn' || t.kind === 'param' || t.kind === 'import') return true;
  if (t.kind === 'global') return ASYNC_SAFE_GLOBALS.has(t.name);
  if (member !== undefined && ASYNC_SAFE_MEMBERS.has(member)) return true;
  return false;
}

function exportedBlocking(ast: Node, targetOf: (n: Node) => Target, blocking: Set<Node>, targetBlocks: (t: Target) => boolean): Set<string> {
  const out = new Set<string>();
  for (const stmt of ast.body as Node[]) {
    if (stmt.type === 'ExportDefaultDeclaration') {
      const d = stmt.declaration;
      if ((isFunction(d) && blocking.has(d)) || (d.type === 'Identifier' && targetBlocks(targetOf(d)))) out.add('default');
    } else if (stmt.type === 'ExportNamedDeclaration' && stmt.declaration) {
      const d = stmt.declaration;
      if (d.type === 'FunctionDeclaration' && blocking.has(d)) out.add(d.id.name);
      if (d.type === 'VariableDeclaration') {
        for (const v of d.declarations) if (v.id.type === 'Identifier' && isFunction(v.init) && blocking.has(v.init)) out.add(v.id.name);
      }
    } else if (stmt.type === 'ExportNamedDeclaration' && !stmt.source) {
      for (const s of stmt.specifiers) {
        if (targetBlocks(targetOf(s.local))) out.add(s.exported.name ?? s.exported.value);
      }
    }
  }
  return out;
}

function exportedFunctions(ast: Node): Set<Node> {
  const out = new Set<Node>();
  for (const stmt of ast.body as Node[]) {
    const d = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? stmt.declaration : undefined;
    if (isFunction(d)) out.add(d);
    if (d?.type === 'VariableDeclaration') for (const v of d.declarations) if (isFunction(v.init)) out.add(v.init);
  }
  return out;
}

/** `http.get`, `group`, `xs.sort` as a user would name it. */
export function describeCallee(callee: Node): string {
  if (callee.type === 'Identifier') return callee.name as string;
  if (callee.type === 'MemberExpression') {
    const name = memberName(callee);
    const obj = callee.object.type === 'Identifier' ? callee.object.name : callee.object.type === 'ThisExpression' ? 'this' : '';
    return `${obj}.${name ?? '[…]'}`;
  }
  return 'the function';
}

/** Export names of the entry module (the wrapper re-exports them from the VU's instance). */
export function exportNames(code: string): string[] {
  const ast = parse(code, ACORN_OPTIONS) as Node;
  const names: string[] = [];
  for (const stmt of ast.body as Node[]) {
    if (stmt.type === 'ExportDefaultDeclaration') names.push('default');
    else if (stmt.type === 'ExportNamedDeclaration') {
      const d = stmt.declaration;
      if (d?.type === 'FunctionDeclaration' || d?.type === 'ClassDeclaration') names.push(d.id.name);
      else if (d?.type === 'VariableDeclaration') {
        for (const v of d.declarations) if (v.id.type === 'Identifier') names.push(v.id.name);
      }
      for (const s of stmt.specifiers ?? []) names.push(s.exported.name ?? s.exported.value);
    }
  }
  return names;
}
