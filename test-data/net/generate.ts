/**
 * Regenerates builder-cases.pcap from cases.ts. Run from the repo root:
 *   npx tsx test-data/net/generate.ts && sh test-data/net/decode-with-tcpdump.sh
 * The tcpdump text is the independent check; review it before committing.
 */
import { writeFileSync } from 'node:fs';
import { buildPacket } from '../../src/core/net/build.ts';
import { writePcap } from '../../src/core/net/pcap.ts';
import { BUILDER_CASES } from './cases.ts';

const packets = BUILDER_CASES.map((c, i) => {
  const r = buildPacket(c.spec);
  if (!r.ok) throw new Error(`${c.name}: ${r.error}`);
  // One second apart, with a sub-second part that survives microsecond files.
  return { data: r.value, timestampSec: 1_700_000_000 + i, timestampNsec: 123_456_000 };
});
const file = writePcap(packets);
if (!file.ok) throw new Error(file.error);
writeFileSync(new URL('./builder-cases.pcap', import.meta.url), file.value);
console.log(`wrote ${packets.length} packets`);
