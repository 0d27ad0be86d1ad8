/**
 * BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO)
 * (kernel/bpf/queue_stack_maps.c): no keys, push/pop/peek of whole values.
 * A push on a full map is E2BIG unless BPF_EXIST asks to drop the oldest
 * element to make room; pop/peek of an empty map zero the output and give ENOENT.
 * From user space, LOOKUP = peek, UPDATE = push, LOOKUP_AND_DELETE = pop.
 */
import type { MapSpec } from '../../program.ts';
import { BaseMap, type MapDump, type MapDumpEntry } from './map.ts';
import { E2BIG, EINVAL, ENOENT } from './errno.ts';
import { BPF_EXIST, BPF_NOEXIST } from './flags.ts';

export class QueueStackMap extends BaseMap {
  readonly lifo: boolean;
  /** oldest first */
  private readonly items: Uint8Array[] = [];

  constructor(spec: MapSpec, cpus: number) {
    super(spec, cpus);
    this.lifo = spec.type === 'stack';
  }

  get length(): number {
    return this.items.length;
  }

  override push(value: Uint8Array, flags: number): number {
    if (flags & BPF_NOEXIST || flags > BPF_EXIST) return -EINVAL;
    if (this.items.length >= this.maxEntries) {
      if (!(flags & BPF_EXIST)) return -E2BIG;
      this.items.shift();
    }
    this.items.push(value.slice(0, this.valueSize));
    return 0;
  }

  private take(out: Uint8Array, remove: boolean): number {
    const n = Math.min(out.length, this.valueSize);
    if (this.items.length === 0) {
      out.fill(0, 0, n);
      return -ENOENT;
    }
    const v = this.lifo ? this.items[this.items.length - 1]! : this.items[0]!;
    out.set(v.subarray(0, n));
    if (remove) {
      if (this.lifo) this.items.pop();
      else this.items.shift();
    }
    return 0;
  }

  override pop(out: Uint8Array): number {
    return this.take(out, true);
  }

  override peek(out: Uint8Array): number {
    return this.take(out, false);
  }

  override update(_key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.push(value, flags);
  }

  override delete(_key: Uint8Array): number {
    return -EINVAL;
  }

  override sysLookup(_key: Uint8Array): Uint8Array | number {
    const out = new Uint8Array(this.valueSize);
    const r = this.peek(out);
    return r < 0 ? r : out;
  }

  override getNextKey(_key: Uint8Array | null): Uint8Array | number {
    return -EINVAL;
  }

  /** What kbpf.py's dump shows: every value in pop order, with empty keys (the map is not drained here). */
  override dump(): MapDump {
    const order = this.lifo ? [...this.items].reverse() : this.items;
    const entries: MapDumpEntry[] = order.map((v) => ({ key: new Uint8Array(0), value: v.slice() }));
    return { kind: 'entries', entries };
  }
}
