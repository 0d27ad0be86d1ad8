/**
 * Splits `tcpdump -nn -vv -e -xx -tt` output into one record per packet:
 * the decoded text and the bytes from its -xx hex lines. Test support only.
 */
import { readFileSync } from 'node:fs';

export interface TcpdumpRecord {
  /** Everything tcpdump printed about the packet, hex lines excluded, joined by spaces. */
  text: string;
  hex: string;
}

export function readTcpdumpText(name: string): TcpdumpRecord[] {
  const lines = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8').split('\n');
  const records: TcpdumpRecord[] = [];
  for (const line of lines) {
    if (/^\d+\.\d+ /.test(line)) records.push({ text: line, hex: '' });
    else if (/^\t0x[0-9a-f]{4}:/.test(line)) records[records.length - 1].hex += line.replace(/^\t0x[0-9a-f]{4}:\s+/, '').replace(/\s+/g, '');
    else if (line.trim()) records[records.length - 1].text += ' ' + line.trim();
  }
  return records;
}

export function readData(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./${name}`, import.meta.url)));
}
