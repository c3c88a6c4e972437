import { AliasTable } from '../alias-table.js';
import type { GeneratorDef, RecordSource, StreamContext } from '../generator-def.js';
import type { OptionValues } from '../option-spec.js';
import { Prng } from '../prng.js';

const ROLES = ['Compute', 'Application', 'Management', 'Storage'] as const;
const SUB_ROLES: Readonly<Record<string, readonly string[]>> = { Compute: [''], Application: ['UAN', 'Gateway'], Management: ['Master', 'Worker'], Storage: ['Metadata', 'Object'] };
const ARCHES = ['X86', 'ARM'] as const;
/** Nodes per cabinet in the xname hierarchy: 8 chassis x 8 slots x 2 boards x 4 nodes. */
const PER_CABINET = 512;
/** Components one stream may issue before its ids would meet the next stream's. */
const PER_STREAM = 2 ** 24;

/** Options of the `components` kind. */
export const componentsOptions = {
  roles: { type: 'weights', keys: ROLES, default: { Compute: 92, Application: 4, Management: 2, Storage: 2 }, doc: 'node role mix' },
  arch: { type: 'weights', keys: ARCHES, default: { X86: 85, ARM: 15 }, doc: 'processor architecture mix' },
  firstCabinet: { type: 'int', default: 1000, min: 0, max: 9000, doc: 'number of the first cabinet in xnames (x1000c0s0b0n0)' },
  image: { type: 'string', default: 'compute-rhel9-2025.01', pattern: /^[A-Za-z0-9._-]{1,100}$/, patternDoc: 'an image name of letters, digits, . _ -', doc: 'boot image named in kernel/initrd paths' },
  disabled: { type: 'number', default: 0.01, min: 0, max: 1, doc: 'fraction of nodes registered disabled' },
} as const;

/** Resolved `components` options. */
export type ComponentsOptions = OptionValues<typeof componentsOptions>;

/** An HPC node as the Chamicore inventory (SMD) and boot service (BSS) of seed 003 hold it. */
export interface Component {
  ID: string;
  Type: 'Node';
  Role: (typeof ROLES)[number];
  SubRole: string;
  NID: number;
  State: 'Ready' | 'Off';
  Flag: 'OK';
  Enabled: boolean;
  Arch: (typeof ARCHES)[number];
  Class: 'Mountain' | 'River';
  NetType: 'Sling';
  MACAddress: string;
  BootParams: { kernel: string; initrd: string; params: string };
}

function hex2(n: number): string {
  return (n & 255).toString(16).padStart(2, '0');
}

class ComponentsSource implements RecordSource<Component> {
  readonly #rng: Prng;
  readonly #roles: AliasTable;
  readonly #arch: AliasTable;
  #seq = 0;

  constructor(
    readonly o: ComponentsOptions,
    readonly ctx: StreamContext,
  ) {
    this.#rng = Prng.from(ctx.seed, ctx.salt, ctx.stream);
    this.#roles = new AliasTable(ROLES.map((r) => o.roles[r] ?? 0));
    this.#arch = new AliasTable(ARCHES.map((a) => o.arch[a] ?? 0));
  }

  next(): Component {
    const rng = this.#rng;
    // Identity comes from position, not chance: stream s owns indices [s*2^24, (s+1)*2^24), so
    // xnames, NIDs and MACs never repeat across VUs while the CLI's stream 0 counts from 0.
    const seq = this.#seq++ % PER_STREAM;
    const index = this.ctx.stream * PER_STREAM + seq;
    const cabinet = this.o.firstCabinet + Math.floor(index / PER_CABINET);
    const inCab = index % PER_CABINET;
    const id = `x${cabinet}c${inCab >> 6}s${(inCab >> 3) & 7}b${(inCab >> 2) & 1}n${inCab & 3}`;
    const role = ROLES[this.#roles.sample(rng)] as Component['Role'];
    const arch = ARCHES[this.#arch.sample(rng)] as Component['Arch'];
    const nid = index + 1;
    // Locally administered unicast prefix 02, then 16 bits of stream and 24 of sequence.
    const s = this.ctx.stream;
    const mac = `02:${hex2(s >> 8)}:${hex2(s)}:${hex2(seq >> 16)}:${hex2(seq >> 8)}:${hex2(seq)}`;
    const enabled = !rng.chance(this.o.disabled);
    const image = `s3://boot-images/${this.o.image}-${arch === 'ARM' ? 'aarch64' : 'x86_64'}`;
    return {
      ID: id,
      Type: 'Node',
      Role: role,
      SubRole: rng.pick(SUB_ROLES[role] ?? ['']),
      NID: nid,
      State: enabled ? 'Ready' : 'Off',
      Flag: 'OK',
      Enabled: enabled,
      Arch: arch,
      Class: cabinet % 2 === 0 ? 'Mountain' : 'River',
      NetType: 'Sling',
      MACAddress: mac,
      BootParams: {
        kernel: `${image}/vmlinuz`,
        initrd: `${image}/initrd.img`,
        params: `console=ttyS0,115200 root=live:${image}/rootfs.squashfs nid=${nid} xname=${id} ip=dhcp rd.neednet=1 quiet`,
      },
    };
  }
}

/** The `components` kind: HPC node inventory with boot parameters (seed 003). */
export const componentsGenerator: GeneratorDef<'components', typeof componentsOptions, Component> = {
  kind: 'components',
  summary: 'HPC nodes: xnames, NIDs, MACs, roles, architecture and boot parameters (unique by position)',
  seedDoc: '003 Chamicore',
  options: componentsOptions,
  create: (o, ctx) => new ComponentsSource(o, ctx),
};
