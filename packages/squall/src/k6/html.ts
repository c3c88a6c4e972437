/**
 * k6/html over cheerio: `parseHTML(text)` and `res.html()` give a Selection with k6's methods
 * (jQuery-like). `each` and `toArray` hand out Elements with k6's DOM-style getters.
 */
import { load, type Cheerio, type CheerioAPI } from 'cheerio';
import type { AnyNode, Element as DomElement } from 'domhandler';

/** One DOM element (k6 `Element`): a few DOM-style accessors. */
export class Element {
  constructor(readonly $: CheerioAPI, readonly node: AnyNode) {}
  textContent(): string {
    return this.$(this.node).text();
  }
  innerHTML(): string {
    return this.$(this.node).html() ?? '';
  }
  getAttribute(name: string): string | undefined {
    return this.$(this.node).attr(name);
  }
  hasAttribute(name: string): boolean {
    return this.$(this.node).attr(name) !== undefined;
  }
  attributes(): Record<string, string> {
    return { ...((this.node as DomElement).attribs ?? {}) };
  }
  nodeName(): string {
    return ((this.node as DomElement).tagName ?? '').toLowerCase();
  }
  id(): string | undefined {
    return this.getAttribute('id');
  }
  /** This element as a Selection. */
  selection(): Selection {
    return new Selection(this.$, this.$(this.node));
  }
}

/** k6's Selection: a set of nodes with jQuery-like traversal and accessors. */
export class Selection {
  constructor(
    readonly $: CheerioAPI,
    readonly sel: Cheerio<AnyNode>,
  ) {}
  #wrap(c: Cheerio<AnyNode>): Selection {
    return new Selection(this.$, c);
  }
  get length(): number {
    return this.sel.length;
  }
  size(): number {
    return this.sel.length;
  }
  find(selector: string): Selection {
    return this.#wrap(this.sel.find(selector));
  }
  attr(name: string, def?: string): string | undefined {
    return this.sel.attr(name) ?? def;
  }
  text(): string {
    return this.sel.text();
  }
  html(): string | undefined {
    return this.sel.html() ?? undefined;
  }
  val(): string | string[] | undefined {
    return this.sel.val();
  }
  first(): Selection {
    return this.#wrap(this.sel.first());
  }
  last(): Selection {
    return this.#wrap(this.sel.last());
  }
  eq(i: number): Selection {
    return this.#wrap(this.sel.eq(i));
  }
  children(selector?: string): Selection {
    return this.#wrap(selector === undefined ? this.sel.children() : this.sel.children(selector));
  }
  parent(selector?: string): Selection {
    return this.#wrap(selector === undefined ? this.sel.parent() : this.sel.parent(selector));
  }
  next(selector?: string): Selection {
    return this.#wrap(selector === undefined ? this.sel.next() : this.sel.next(selector));
  }
  prev(selector?: string): Selection {
    return this.#wrap(selector === undefined ? this.sel.prev() : this.sel.prev(selector));
  }
  closest(selector: string): Selection {
    return this.#wrap(this.sel.closest(selector));
  }
  filter(selector: string): Selection {
    return this.#wrap(this.sel.filter(selector));
  }
  not(selector: string): Selection {
    return this.#wrap(this.sel.not(selector));
  }
  has(selector: string): Selection {
    return this.#wrap(this.sel.has(selector));
  }
  is(selector: string): boolean {
    return this.sel.is(selector);
  }
  slice(start: number, end?: number): Selection {
    return this.#wrap(this.sel.slice(start, end));
  }
  contents(): Selection {
    return this.#wrap(this.sel.contents());
  }
  data(key?: string): unknown {
    return key === undefined ? this.sel.data() : this.sel.data(key);
  }
  /** Calls `fn(index, element)` for each node. */
  each(fn: (index: number, element: Element) => void): Selection {
    this.sel.each((i, node) => {
      fn(i, new Element(this.$, node));
    });
    return this;
  }
  /** `fn(index, selection)` per node; returns the values it returned. */
  map<T>(fn: (index: number, selection: Selection) => T): T[] {
    const out: T[] = [];
    this.sel.each((i, node) => {
      out.push(fn(i, this.#wrap(this.$(node))));
    });
    return out;
  }
  toArray(): Selection[] {
    return this.sel.toArray().map((node) => this.#wrap(this.$(node)));
  }
  get(i: number): Element | undefined {
    const node = this.sel.get(i);
    return node === undefined ? undefined : new Element(this.$, node);
  }
  /** A form's fields as `a=1&b=2`. */
  serialize(): string {
    return this.sel.serialize();
  }
  serializeArray(): { name: string; value: string }[] {
    return this.sel.serializeArray();
  }
  serializeObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, value } of this.sel.serializeArray()) out[name] = value;
    return out;
  }
}

/** Parses an HTML document (k6/html `parseHTML`). */
export function parseHTML(html: string): Selection {
  const $ = load(String(html));
  return new Selection($, $.root());
}
