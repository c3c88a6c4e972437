import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openStream, resolveGenerator, type GeneratorKind } from '../registry.js';

const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$/);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
const dns = z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);

// The shapes consumers of each seed expect; strict() catches stray fields.
const schemas: Record<GeneratorKind, z.ZodType> = {
  audit: z
    .object({
      kind: z.literal('Event'),
      apiVersion: z.literal('audit.k8s.io/v1'),
      level: z.enum(['Metadata', 'Request', 'RequestResponse']),
      auditID: uuid,
      stage: z.enum(['RequestReceived', 'ResponseStarted', 'ResponseComplete']),
      requestURI: z.string().regex(/^\/apis?\/[a-z0-9./-]+(\?(limit=500|watch=true))?$/),
      verb: z.enum(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
      user: z.object({ username: z.string().min(1), uid: z.string(), groups: z.array(z.string()).min(1) }).strict(),
      sourceIPs: z.array(z.string().regex(/^\d+\.\d+\.\d+\.\d+$/)).length(1),
      userAgent: z.string().min(1),
      objectRef: z.object({ resource: z.string(), namespace: dns.optional(), name: dns.optional(), apiGroup: z.string().optional(), apiVersion: z.literal('v1') }).strict(),
      responseStatus: z
        .object({ metadata: z.object({}).strict(), code: z.number().int().min(200).max(599), status: z.literal('Failure').optional(), reason: z.string().optional(), message: z.string().optional() })
        .strict()
        .optional(),
      requestObject: z.record(z.string(), z.unknown()).optional(),
      responseObject: z.record(z.string(), z.unknown()).optional(),
      requestReceivedTimestamp: iso,
      stageTimestamp: iso,
      annotations: z
        .object({
          'authorization.k8s.io/decision': z.enum(['allow', 'forbid']),
          'authorization.k8s.io/reason': z.string(),
          'platform.miloapis.com/scope.type': z.string().min(1),
          'platform.miloapis.com/scope.name': z.string().regex(/^control-plane-\d+$/),
        })
        .strict(),
    })
    .strict(),
  orders: z
    .object({
      eventId: uuid,
      eventType: z.enum(['order.created', 'order.paid', 'order.shipped', 'order.delivered', 'order.cancelled', 'order.refunded']),
      occurredAt: iso,
      source: z.string(),
      orderId: z.string().regex(/^ord-/),
      customer: z.object({ id: z.string().regex(/^cust-\d{7}$/), tier: z.enum(['free', 'standard', 'premium', 'enterprise']), region: z.string() }).strict(),
      items: z.array(z.object({ sku: z.string().regex(/^SKU-\d{5}$/), quantity: z.number().int().positive(), unitPrice: z.number().positive() }).strict()).min(1),
      total: z.object({ amount: z.number().positive(), currency: z.enum(['USD', 'EUR', 'GBP', 'JPY']) }).strict(),
      priority: z.enum(['low', 'normal', 'high']),
    })
    .strict(),
  logs: z
    .object({
      timestamp: iso,
      service: z.string().min(1),
      severity: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']),
      trace_id: z.string().regex(/^[0-9a-f]{32}$/),
      span_id: z.string().regex(/^[0-9a-f]{16}$/),
      message: z.string().min(1).refine((m) => !m.includes('{'), 'unfilled placeholder'),
      attributes: z.object({ host: z.string(), 'http.method': z.string(), 'http.route': z.string(), 'http.status_code': z.number().int(), duration_ms: z.number().nonnegative() }).strict(),
    })
    .strict(),
  components: z
    .object({
      ID: z.string().regex(/^x\d+c[0-7]s[0-7]b[01]n[0-3]$/),
      Type: z.literal('Node'),
      Role: z.enum(['Compute', 'Application', 'Management', 'Storage']),
      SubRole: z.string(),
      NID: z.number().int().positive(),
      State: z.enum(['Ready', 'Off']),
      Flag: z.literal('OK'),
      Enabled: z.boolean(),
      Arch: z.enum(['X86', 'ARM']),
      Class: z.enum(['Mountain', 'River']),
      NetType: z.literal('Sling'),
      MACAddress: z.string().regex(/^02(:[0-9a-f]{2}){5}$/),
      BootParams: z.object({ kernel: z.string().regex(/vmlinuz$/), initrd: z.string(), params: z.string().includes('nid=') }).strict(),
    })
    .strict(),
  crud: z.discriminatedUnion('op', [
    z.object({ entity: z.enum(['users', 'agents', 'pipelines']), op: z.literal('create'), key: z.string().min(1), body: z.record(z.string(), z.unknown()) }).strict(),
    z.object({ entity: z.enum(['users', 'agents', 'pipelines']), op: z.literal('update'), key: z.string().min(1), body: z.record(z.string(), z.unknown()) }).strict(),
    z.object({ entity: z.enum(['users', 'agents', 'pipelines']), op: z.literal('delete'), key: z.string().min(1) }).strict(),
    z.object({ entity: z.enum(['users', 'agents', 'pipelines']), op: z.literal('list'), key: z.literal(''), query: z.object({ limit: z.number(), offset: z.number() }).strict() }).strict(),
  ]),
};

const bodies = {
  users: z.object({ email: z.string().email(), name: z.string(), password: z.string().min(12), role: z.string(), organization_name: z.string() }).strict(),
  agents: z.object({ name: z.string(), description: z.string(), model: z.string(), system_prompt: z.string(), temperature: z.number().min(0).max(1), max_tokens: z.number().int(), tools: z.array(z.string()) }).strict(),
  pipelines: z.object({ name: z.string(), description: z.string(), pattern: z.string(), nodes: z.array(z.object({ id: z.string(), type: z.string(), label: z.string() })).min(2), edges: z.array(z.object({ source: z.string(), target: z.string() })) }).strict(),
};

const cases: [GeneratorKind, Record<string, unknown>][] = [
  ['audit', {}],
  ['audit', { level: 'RequestResponse', stages: 'all', errors4xx: 0.2, errors5xx: 0.1, verbs: 'get=1,list=1,watch=1,create=1,update=1,patch=1,delete=1', users: 'human=1,system=1' }],
  ['orders', {}],
  ['orders', { tiers: 'enterprise=1', maxItems: 1, currency: 'EUR' }],
  ['logs', {}],
  ['logs', { severities: 'ERROR=1,FATAL=1', services: 30 }],
  ['components', {}],
  ['components', { arch: 'ARM=1', roles: 'Storage=1,Management=1', disabled: 0.5 }],
  ['crud', {}],
  ['crud', { entities: 'users=1', ops: 'create=1,delete=1' }],
];

describe('generated records match their schemas', () => {
  it.each(cases)('%s %j', (kind, raw) => {
    const config = resolveGenerator(kind, raw, 'script', kind);
    for (const stream of [0, 7]) {
      const s = openStream(config, { seed: 'schema', stream, salt: 0, count: 2000 });
      for (let i = 0; i < 2000; i++) {
        const record = JSON.parse(JSON.stringify(s.next())) as { entity?: keyof typeof bodies; body?: unknown };
        const result = schemas[kind].safeParse(record);
        if (!result.success) expect.fail(`${kind} record ${i}: ${result.error.message}\n${JSON.stringify(record)}`);
        if (kind === 'crud' && record.body !== undefined) bodies[record.entity as keyof typeof bodies].parse(record.body);
      }
    }
  });
});

describe('streams never collide', () => {
  it('components: xnames, NIDs and MACs are unique across streams', () => {
    const config = resolveGenerator('components', {}, 'script', 'components');
    const seen = { ID: new Set<string>(), NID: new Set<number>(), MAC: new Set<string>() };
    for (const stream of [0, 1, 2, 255, 256, 1000]) {
      const s = openStream(config, { seed: 'c', stream, salt: 0, count: undefined });
      for (let i = 0; i < 3000; i++) {
        const c = s.next() as { ID: string; NID: number; MACAddress: string };
        seen.ID.add(c.ID);
        seen.NID.add(c.NID);
        seen.MAC.add(c.MACAddress);
      }
    }
    expect([seen.ID.size, seen.NID.size, seen.MAC.size]).toEqual([18_000, 18_000, 18_000]);
  });

  it('orders and crud: order ids and entity keys are unique across streams', () => {
    const orders = resolveGenerator('orders', { eventTypes: 'order.created=1' }, 'script', 'orders');
    const crud = resolveGenerator('crud', { ops: 'create=1' }, 'script', 'crud');
    const orderIds = new Set<string>();
    const keys = new Set<string>();
    for (let stream = 0; stream < 20; stream++) {
      const o = openStream(orders, { seed: 'u', stream, salt: 0, count: undefined });
      const c = openStream(crud, { seed: 'u', stream, salt: 0, count: undefined });
      for (let i = 0; i < 1000; i++) {
        orderIds.add((o.next() as { orderId: string }).orderId);
        keys.add((c.next() as { key: string }).key);
      }
    }
    expect(orderIds.size).toBe(20_000);
    expect(keys.size).toBe(20_000);
  });
});
