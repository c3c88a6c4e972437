import { AliasTable } from '../alias-table.js';
import { EventClock } from '../event-clock.js';
import type { GeneratorDef, RecordSource, StreamContext } from '../generator-def.js';
import { IsoTime } from '../iso-time.js';
import { enumOption, type OptionValues } from '../option-spec.js';
import { Prng } from '../prng.js';
import { UniqueIds } from '../unique-id.js';
import { timeOptions } from './time-options.js';

const EVENT_TYPES = ['order.created', 'order.paid', 'order.shipped', 'order.delivered', 'order.cancelled', 'order.refunded'] as const;
const TIERS = ['free', 'standard', 'premium', 'enterprise'] as const;
/** Median unit price by tier: bigger customers buy dearer things. */
const MEDIAN_PRICE: Readonly<Record<string, number>> = { free: 12, standard: 25, premium: 60, enterprise: 180 };
const REGIONS = ['us-east', 'us-west', 'eu-central', 'eu-west', 'ap-southeast'];
const CHANNELS = ['web', 'mobile', 'api', 'pos'];

/** Options of the `orders` kind. */
export const ordersOptions = {
  eventTypes: {
    type: 'weights',
    keys: EVENT_TYPES,
    default: { 'order.created': 40, 'order.paid': 25, 'order.shipped': 15, 'order.delivered': 10, 'order.cancelled': 6, 'order.refunded': 4 },
    doc: 'relative weights of event types; later events refer to orders this stream created',
  },
  tiers: { type: 'weights', keys: TIERS, default: { free: 50, standard: 30, premium: 15, enterprise: 5 }, doc: 'customer tier mix (each customer keeps one tier)' },
  customers: { type: 'int', default: 10_000, min: 1, max: 10_000_000, doc: 'distinct customers' },
  maxItems: { type: 'int', default: 8, min: 1, max: 1000, doc: 'most line items in one order' },
  currency: enumOption(['USD', 'EUR', 'GBP', 'JPY'], 'USD', 'currency of amounts'),
  ...timeOptions,
} as const;

/** Resolved `orders` options. */
export type OrdersOptions = OptionValues<typeof ordersOptions>;

/** One order event as the orchestrator of seed 001 takes it (one line of bulk NDJSON). */
export interface OrderEvent {
  eventId: string;
  eventType: (typeof EVENT_TYPES)[number];
  occurredAt: string;
  source: string;
  orderId: string;
  customer: { id: string; tier: (typeof TIERS)[number]; region: string };
  items: { sku: string; quantity: number; unitPrice: number }[];
  total: { amount: number; currency: string };
  priority: 'low' | 'normal' | 'high';
}

class OrdersSource implements RecordSource<OrderEvent> {
  readonly #rng: Prng;
  readonly #ids: UniqueIds;
  readonly #orderIds: UniqueIds;
  readonly #clock: EventClock;
  readonly #types: AliasTable;
  readonly #typeNames: readonly OrderEvent['eventType'][];
  readonly #tierOf: Uint8Array;
  readonly #iso = new IsoTime();
  /** Orders this stream created, newest last, so follow-up events name real orders. */
  readonly #recent: string[] = [];
  #index = 0;
  #issued = 0;

  constructor(
    readonly o: OrdersOptions,
    readonly ctx: StreamContext,
  ) {
    this.#rng = Prng.from(ctx.seed, ctx.salt, ctx.stream);
    this.#ids = new UniqueIds(ctx.seed, ctx.salt);
    this.#orderIds = new UniqueIds(ctx.seed, ctx.salt + 0x5eed);
    this.#clock = new EventClock(o, ctx.count);
    this.#typeNames = EVENT_TYPES.filter((t) => (o.eventTypes[t] ?? 0) > 0);
    this.#types = new AliasTable(this.#typeNames.map((t) => o.eventTypes[t] ?? 0));
    // Tiers belong to customers, fixed by the seed alone so every VU agrees.
    const poolRng = Prng.from(ctx.seed, ctx.salt, -1);
    const tiers = new AliasTable(TIERS.map((t) => o.tiers[t] ?? 0));
    this.#tierOf = Uint8Array.from({ length: o.customers }, () => tiers.sample(poolRng));
  }

  next(): OrderEvent {
    const rng = this.#rng;
    const o = this.o;
    let eventType = this.#typeNames[this.#types.sample(rng)] as OrderEvent['eventType'];
    if (eventType !== 'order.created' && this.#recent.length === 0) eventType = 'order.created';
    let orderId: string;
    if (eventType === 'order.created') {
      orderId = `ord-${this.#orderIds.uuid(this.ctx.stream, this.#issued, rng)}`;
      this.#recent.push(orderId);
      if (this.#recent.length > 1000) this.#recent.shift();
    } else {
      orderId = this.#recent[this.#recent.length - 1 - rng.int(Math.min(this.#recent.length, 100))] as string;
    }
    const customerNo = rng.int(o.customers);
    const tier = TIERS[this.#tierOf[customerNo] as number] as OrderEvent['customer']['tier'];
    const count = 1 + Math.min(o.maxItems - 1, Math.floor(rng.logNormal(1.2, 0.9)));
    const items: OrderEvent['items'] = [];
    let cents = 0;
    for (let i = 0; i < count; i++) {
      const unitCents = Math.max(99, Math.round(rng.logNormal(MEDIAN_PRICE[tier] ?? 20, 0.8) * 100));
      const quantity = 1 + Math.floor(rng.logNormal(0.6, 0.8)) % 10;
      cents += unitCents * quantity;
      items.push({ sku: `SKU-${String(rng.int(100_000)).padStart(5, '0')}`, quantity, unitPrice: unitCents / 100 });
    }
    const event: OrderEvent = {
      eventId: this.#ids.uuid(this.ctx.stream, this.#issued++, rng),
      eventType,
      occurredAt: this.#iso.millis(this.#clock.at(this.#index++, rng)),
      source: rng.pick(CHANNELS),
      orderId,
      customer: { id: `cust-${String(customerNo + 1).padStart(7, '0')}`, tier, region: REGIONS[customerNo % REGIONS.length] as string },
      items,
      total: { amount: cents / 100, currency: o.currency },
      priority: tier === 'enterprise' ? 'high' : tier === 'premium' ? (rng.chance(0.3) ? 'high' : 'normal') : rng.chance(0.2) ? 'low' : 'normal',
    };
    return event;
  }
}

/** The `orders` kind: order lifecycle events for bulk NDJSON posting (seed 001). */
export const ordersGenerator: GeneratorDef<'orders', typeof ordersOptions, OrderEvent> = {
  kind: 'orders',
  summary: 'order lifecycle events (types, customer tiers, line items, totals) for bulk NDJSON',
  seedDoc: '001 event orchestrator',
  options: ordersOptions,
  create: (o, ctx) => new OrdersSource(o, ctx),
};
