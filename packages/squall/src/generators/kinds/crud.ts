import { AliasTable } from '../alias-table.js';
import type { GeneratorDef, RecordSource, StreamContext } from '../generator-def.js';
import type { OptionValues } from '../option-spec.js';
import { Prng } from '../prng.js';
import { UniqueIds, randomHex } from '../unique-id.js';
import { APP_WORDS } from './audit-vocab.js';

const ENTITIES = ['users', 'agents', 'pipelines'] as const;
const OPS = ['create', 'list', 'update', 'delete'] as const;
const MODELS = ['gpt-4o-mini', 'claude-3-5-sonnet', 'llama-3.1-70b-instruct', 'mistral-large'];
const TOOLS = ['web_search', 'code_interpreter', 'file_reader', 'calculator', 'http_request'];
const PATTERNS = ['sequential', 'parallel', 'router', 'supervisor'];
const ROLES = ['developer', 'admin', 'viewer'];

/** Options of the `crud` kind. */
export const crudOptions = {
  entities: { type: 'weights', keys: ENTITIES, default: { users: 10, agents: 45, pipelines: 45 }, doc: 'which entities operations touch' },
  ops: { type: 'weights', keys: OPS, default: { create: 30, list: 40, update: 20, delete: 10 }, doc: 'operation mix (seed 004: 30/40/20/10)' },
  pageSize: { type: 'int', default: 20, min: 1, max: 1000, doc: 'limit in list queries' },
} as const;

/** Resolved `crud` options. */
export type CrudOptions = OptionValues<typeof crudOptions>;

/** One CRUD operation for the Kaizen Studio API of seed 004. */
export interface CrudOperation {
  entity: (typeof ENTITIES)[number];
  op: (typeof OPS)[number];
  /** Client-side key of the entity (its unique name or email); update/delete name one this stream created. */
  key: string;
  /** Request body for create and update. */
  body?: Record<string, unknown>;
  /** Query parameters for list. */
  query?: { limit: number; offset: number };
}

class CrudSource implements RecordSource<CrudOperation> {
  readonly #rng: Prng;
  readonly #ids: UniqueIds;
  readonly #entities: AliasTable;
  readonly #ops: AliasTable;
  /** Keys created and not yet deleted, per entity, so update/delete name entities that exist. */
  readonly #live = new Map<string, string[]>(ENTITIES.map((e) => [e, []]));
  #issued = 0;

  constructor(
    readonly o: CrudOptions,
    readonly ctx: StreamContext,
  ) {
    this.#rng = Prng.from(ctx.seed, ctx.salt, ctx.stream);
    this.#ids = new UniqueIds(ctx.seed, ctx.salt);
    this.#entities = new AliasTable(ENTITIES.map((e) => o.entities[e] ?? 0));
    this.#ops = new AliasTable(OPS.map((op) => o.ops[op] ?? 0));
  }

  next(): CrudOperation {
    const rng = this.#rng;
    const entity = ENTITIES[this.#entities.sample(rng)] as CrudOperation['entity'];
    let op = OPS[this.#ops.sample(rng)] as CrudOperation['op'];
    const live = this.#live.get(entity) as string[];
    if ((op === 'update' || op === 'delete') && live.length === 0) op = 'create';
    if (op === 'list') return { entity, op, key: '', query: { limit: this.o.pageSize, offset: this.o.pageSize * rng.int(5) } };
    if (op === 'create') {
      const id = this.#ids.uuid(this.ctx.stream, this.#issued++, rng);
      const key = entity === 'users' ? `user-${id}@example.com` : `${entity.slice(0, -1)}-${id}`;
      live.push(key);
      if (live.length > 10_000) live.shift();
      return { entity, op, key, body: this.#body(entity, key) };
    }
    const at = live.length - 1 - rng.int(Math.min(live.length, 50));
    const key = live[at] as string;
    if (op === 'delete') {
      live.splice(at, 1);
      return { entity, op, key };
    }
    return { entity, op, key, body: this.#body(entity, key) };
  }

  #body(entity: CrudOperation['entity'], key: string): Record<string, unknown> {
    const rng = this.#rng;
    const word = rng.pick(APP_WORDS);
    switch (entity) {
      case 'users':
        return { email: key, name: `Test User ${key.slice(5, 13)}`, password: `Sq!${randomHex(rng, 16)}Aa9`, role: rng.pick(ROLES), organization_name: 'squall-load-test' };
      case 'agents':
        return {
          name: key,
          description: `${word} assistant created by a squall load test`,
          model: rng.pick(MODELS),
          system_prompt: `You are a helpful ${word} assistant. Answer briefly.`,
          temperature: Math.round(rng.float() * 100) / 100,
          max_tokens: 256 * rng.range(1, 16),
          tools: TOOLS.filter(() => rng.chance(0.4)),
        };
      case 'pipelines': {
        const n = rng.range(2, 6);
        const nodes = Array.from({ length: n }, (_, i) => ({ id: `node-${i + 1}`, type: i === 0 ? 'input' : i === n - 1 ? 'output' : 'agent', label: `${rng.pick(APP_WORDS)} step` }));
        return { name: key, description: `${word} pipeline created by a squall load test`, pattern: rng.pick(PATTERNS), nodes, edges: nodes.slice(1).map((node, i) => ({ source: nodes[i]?.id, target: node.id })) };
      }
    }
  }
}

/** The `crud` kind: users, agents and pipelines operations with valid payloads (seed 004). */
export const crudGenerator: GeneratorDef<'crud', typeof crudOptions, CrudOperation> = {
  kind: 'crud',
  summary: 'create/list/update/delete operations on users, agents and pipelines with valid payloads',
  seedDoc: '004 Kaizen Studio',
  options: crudOptions,
  create: (o, ctx) => new CrudSource(o, ctx),
};
