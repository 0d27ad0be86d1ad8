/** The packet context a helper's ctx argument (r1) names. */
import type { HelperContext } from '../../interp/index.ts';
import { REGION_TAG_BASE } from '../../interp/index.ts';
import { packetContextOf, type PacketContext } from '../../interp/contexts.ts';
import { u64Hi } from '../../num/int64.ts';

export function ctxPacket(ctx: HelperContext, n: 1 = 1): PacketContext | { fault: string } {
  const ptr = ctx.arg(n);
  const region = ctx.memory.region((u64Hi(ptr) - REGION_TAG_BASE) >>> 0);
  const pc = region ? packetContextOf(region) : undefined;
  return pc ?? { fault: `R${n} is not a packet context (${ctx.memory.describe(ptr)})` };
}
