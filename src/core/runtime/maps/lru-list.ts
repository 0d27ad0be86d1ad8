/**
 * The kernel's approximate LRU for LRU hash maps (kernel/bpf/bpf_lru_list.c),
 * re-expressed: which element an insert into a full LRU map evicts is
 * observable (a program sees its key vanish), so the same lists, reference
 * bits and batch sizes decide it here.
 *
 * Model: every preallocated element has a node. A global list set holds
 * ACTIVE, INACTIVE and FREE nodes; with the common LRU each CPU also has a
 * local FREE list and a local PENDING list (nodes handed out but not yet
 * merged into the global lists). A lookup from a program sets the node's
 * reference bit. When a CPU runs out of local free nodes it merges its
 * pending nodes into the global lists, rotates them (referenced inactive
 * nodes become active, unreferenced active ones inactive), then grabs up to
 * `targetFree` free nodes, and if there are not enough, evicts unreferenced
 * inactive elements — possibly several at once — to make them.
 * With BPF_F_NO_COMMON_LRU each CPU has its own list set (no local lists)
 * and owns max_entries / cpus nodes.
 */

const ACTIVE = 0;
const INACTIVE = 1;
const FREE = 2;
const LOCAL_FREE = 3;
const LOCAL_PENDING = 4;
type NodeType = typeof ACTIVE | typeof INACTIVE | typeof FREE | typeof LOCAL_FREE | typeof LOCAL_PENDING;

/** LOCAL_FREE_TARGET: the most free nodes a CPU takes from the global list at once */
const LOCAL_FREE_TARGET = 128;
const LOCAL_NR_SCANS = LOCAL_FREE_TARGET;
const PERCPU_FREE_TARGET = 4;
const PERCPU_NR_SCANS = PERCPU_FREE_TARGET;

/** A circular doubly-linked list link; a list is represented by its sentinel. */
class Link {
  prev: Link = this;
  next: Link = this;
}

export class LruNode extends Link {
  type: NodeType = FREE;
  ref = false;
  cpu = 0;
  /** the hash element that owns this node (its table id), null while free */
  owner: string | null = null;
}

function unlink(n: Link): void {
  n.prev.next = n.next;
  n.next.prev = n.prev;
  n.prev = n;
  n.next = n;
}

/** Move `n` to the head of the list whose sentinel is `head`. */
function moveToHead(n: Link, head: Link): void {
  unlink(n);
  n.next = head.next;
  n.prev = head;
  head.next.prev = n;
  head.next = n;
}

function first(head: Link): LruNode | null {
  return head.next === head ? null : (head.next as LruNode);
}

function isEmpty(head: Link): boolean {
  return head.next === head;
}

/** Snapshot from tail to head, so nodes can move while the walk goes on (the "_safe_reverse" walks). */
function fromTail(head: Link): LruNode[] {
  const out: LruNode[] = [];
  for (let n = head.prev; n !== head; n = n.prev) out.push(n as LruNode);
  return out;
}

class ListSet {
  readonly heads: [Link, Link, Link] = [new Link(), new Link(), new Link()];
  readonly counts = [0, 0];
  nextInactiveRotation: Link;

  constructor() {
    this.nextInactiveRotation = this.heads[INACTIVE];
  }

  private countDec(t: NodeType): void {
    if (t === ACTIVE || t === INACTIVE) this.counts[t]--;
  }
  private countInc(t: NodeType): void {
    if (t === ACTIVE || t === INACTIVE) this.counts[t]++;
  }

  /** A node from a CPU's pending list enters the global lists. */
  moveIn(n: LruNode, to: typeof ACTIVE | typeof INACTIVE): void {
    this.countInc(to);
    n.type = to;
    n.ref = false;
    moveToHead(n, this.heads[to]);
  }

  /** Move within the global lists; the reference bit is consumed. */
  move(n: LruNode, to: typeof ACTIVE | typeof INACTIVE | typeof FREE): void {
    if (n.type !== to) {
      this.countDec(n.type);
      this.countInc(to);
      n.type = to;
    }
    n.ref = false;
    if (n === this.nextInactiveRotation) this.nextInactiveRotation = n.prev;
    moveToHead(n, this.heads[to]);
  }

  moveToFree(n: LruNode, freeHead: Link, type: typeof FREE | typeof LOCAL_FREE): void {
    if (n === this.nextInactiveRotation) this.nextInactiveRotation = n.prev;
    this.countDec(n.type);
    n.type = type;
    moveToHead(n, freeHead);
  }
}

class LocalLists {
  readonly free = new Link();
  readonly pending = new Link();
  nextSteal: number;
  constructor(cpu: number) {
    this.nextSteal = cpu;
  }
}

export class BpfLru {
  private readonly percpu: boolean;
  private readonly cpus: number;
  private readonly nrScans: number;
  private readonly targetFree: number;
  private readonly global = new ListSet();
  private readonly perCpuSets: ListSet[] = [];
  private readonly locals: LocalLists[] = [];
  /** removes the node's element from the hash table; false if it is not there */
  private readonly delFromHtab: (n: LruNode) => boolean;

  constructor(percpu: boolean, cpus: number, nrElems: number, delFromHtab: (n: LruNode) => boolean) {
    this.percpu = percpu;
    this.cpus = cpus;
    this.delFromHtab = delFromHtab;
    this.nrScans = percpu ? PERCPU_NR_SCANS : LOCAL_NR_SCANS;
    this.targetFree = Math.min(Math.max(Math.floor(Math.floor(nrElems / cpus) / 2), 1), LOCAL_FREE_TARGET);
    if (percpu) {
      const perCpu = Math.floor(nrElems / cpus);
      let made = 0;
      for (let c = 0; c < cpus && made < nrElems; c++) {
        const set = new ListSet();
        this.perCpuSets.push(set);
        do {
          const n = new LruNode();
          n.cpu = c;
          moveToHead(n, set.heads[FREE]);
          made++;
        } while (made < nrElems && made % perCpu !== 0);
      }
      while (this.perCpuSets.length < cpus) this.perCpuSets.push(new ListSet());
    } else {
      for (let c = 0; c < cpus; c++) this.locals.push(new LocalLists(c));
      for (let i = 0; i < nrElems; i++) moveToHead(new LruNode(), this.global.heads[FREE]);
    }
  }

  /** bpf_lru_node_set_ref: a program looked the element up. */
  setRef(n: LruNode): void {
    n.ref = true;
  }

  /** A node for a new element, evicting as the kernel would; null = no node (ENOMEM). */
  popFree(cpu: number): LruNode | null {
    return this.percpu ? this.popFreePercpu(cpu) : this.popFreeCommon(cpu);
  }

  /** Give a node back (element deleted, replaced, or an update that failed). */
  pushFree(n: LruNode): void {
    n.owner = null;
    if (this.percpu) {
      this.perCpuSets[n.cpu]!.move(n, FREE);
      return;
    }
    if (n.type === LOCAL_PENDING) {
      n.type = LOCAL_FREE;
      n.ref = false;
      moveToHead(n, this.locals[n.cpu]!.free);
      return;
    }
    this.global.move(n, FREE);
  }

  // ---- list maintenance ----

  private rotate(l: ListSet): void {
    if (l.counts[INACTIVE]! < l.counts[ACTIVE]!) this.rotateActive(l);
    this.rotateInactive(l);
  }

  /** Walk the active list from its tail: referenced nodes stay active, the others become inactive. */
  private rotateActive(l: ListSet): void {
    const head = l.heads[ACTIVE];
    const firstNode = first(head);
    let i = 0;
    for (const n of fromTail(head)) {
      l.move(n, n.ref ? ACTIVE : INACTIVE);
      if (++i === this.nrScans || n === firstNode) break;
    }
  }

  /** Continue a bounded walk of the inactive list where the last one stopped, promoting referenced nodes. */
  private rotateInactive(l: ListSet): void {
    const head = l.heads[INACTIVE];
    if (isEmpty(head)) return;
    let last = l.nextInactiveRotation.next;
    if (last === head) last = last.next;
    let cur = l.nextInactiveRotation;
    let next: Link = head;
    let i = 0;
    while (i < this.nrScans) {
      if (cur === head) {
        cur = cur.prev;
        continue;
      }
      const n = cur as LruNode;
      next = cur.prev;
      if (n.ref) l.move(n, ACTIVE);
      if (cur === last) break;
      cur = next;
      i++;
    }
    l.nextInactiveRotation = next;
  }

  /** Evict unreferenced inactive elements (up to `want`), then, if none, the oldest element regardless of its bit. */
  private shrink(l: ListSet, want: number, freeHead: Link, type: typeof FREE | typeof LOCAL_FREE): number {
    let got = 0;
    let i = 0;
    for (const n of fromTail(l.heads[INACTIVE])) {
      if (n.ref) {
        l.move(n, ACTIVE);
      } else if (this.delFromHtab(n)) {
        l.moveToFree(n, freeHead, type);
        if (++got === want) break;
      }
      if (++i === this.nrScans) break;
    }
    if (got) return got;
    const forced = isEmpty(l.heads[INACTIVE]) ? l.heads[ACTIVE] : l.heads[INACTIVE];
    for (const n of fromTail(forced)) {
      if (this.delFromHtab(n)) {
        l.moveToFree(n, freeHead, type);
        return 1;
      }
    }
    return 0;
  }

  private popFreePercpu(cpu: number): LruNode | null {
    const l = this.perCpuSets[cpu]!;
    this.rotate(l);
    if (isEmpty(l.heads[FREE])) this.shrink(l, PERCPU_FREE_TARGET, l.heads[FREE], FREE);
    const n = first(l.heads[FREE]);
    if (!n) return null;
    n.ref = false;
    l.move(n, INACTIVE);
    return n;
  }

  private takeLocalFree(loc: LocalLists): LruNode | null {
    const n = first(loc.free);
    if (n) unlink(n);
    return n;
  }

  private addPending(loc: LocalLists, cpu: number, n: LruNode): void {
    n.cpu = cpu;
    n.type = LOCAL_PENDING;
    n.ref = false;
    moveToHead(n, loc.pending);
  }

  /** Merge this CPU's pending nodes, rotate, and refill its local free list. */
  private refillLocal(loc: LocalLists): void {
    const l = this.global;
    for (const n of fromTail(loc.pending)) l.moveIn(n, n.ref ? ACTIVE : INACTIVE);
    this.rotate(l);
    let got = 0;
    for (let n = first(l.heads[FREE]); n && got < this.targetFree; n = first(l.heads[FREE])) {
      l.moveToFree(n, loc.free, LOCAL_FREE);
      got++;
    }
    if (got < this.targetFree) this.shrink(l, this.targetFree - got, loc.free, LOCAL_FREE);
  }

  /** Take another CPU's oldest pending node, unreferenced ones first. */
  private takePending(loc: LocalLists): LruNode | null {
    for (const force of [false, true]) {
      for (const n of fromTail(loc.pending)) {
        if ((!n.ref || force) && this.delFromHtab(n)) {
          unlink(n);
          return n;
        }
      }
    }
    return null;
  }

  private popFreeCommon(cpu: number): LruNode | null {
    const loc = this.locals[cpu]!;
    let n = this.takeLocalFree(loc);
    if (!n) {
      this.refillLocal(loc);
      n = this.takeLocalFree(loc);
    }
    if (n) {
      this.addPending(loc, cpu, n);
      return n;
    }
    const firstSteal = loc.nextSteal;
    let steal = firstSteal;
    do {
      const other = this.locals[steal]!;
      n = this.takeLocalFree(other) ?? this.takePending(other);
      steal = (steal + 1) % this.cpus;
    } while (!n && steal !== firstSteal);
    loc.nextSteal = steal;
    if (n) this.addPending(loc, cpu, n);
    return n;
  }
}
