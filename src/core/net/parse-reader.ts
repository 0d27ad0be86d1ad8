/**
 * Reads header fields of one layer while recording them as DecodedFields.
 * Reading past the end of the frame throws FrameTruncated, which the parse
 * driver catches to mark the layer truncated; it never leaves this module
 * family.
 */
import type { DecodedField, DecodedLayer, LayerKind } from './decoded.ts';

export class FrameTruncated extends Error {
  constructor(
    readonly needed: number,
    readonly available: number,
  ) {
    super(`needs ${needed} bytes, frame ends at ${available}`);
  }
}

export class LayerReader {
  readonly layer: DecodedLayer;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    kind: LayerKind,
    title: string,
    /** Absolute offset where the layer starts. */
    readonly start: number,
    /** Absolute end of the bytes this layer may use. */
    readonly end: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.layer = { kind, title, offset: start, length: Math.max(0, end - start), fields: [] };
  }

  /** Throws FrameTruncated unless [rel, rel+len) of the layer is present. */
  need(rel: number, len: number): void {
    if (this.start + rel + len > this.end) throw new FrameTruncated(this.start + rel + len, this.end);
  }

  u8(rel: number): number {
    this.need(rel, 1);
    return this.bytes[this.start + rel];
  }

  u16(rel: number): number {
    this.need(rel, 2);
    return this.view.getUint16(this.start + rel);
  }

  u32(rel: number): number {
    this.need(rel, 4);
    return this.view.getUint32(this.start + rel);
  }

  slice(rel: number, len: number): Uint8Array {
    this.need(rel, len);
    return this.bytes.subarray(this.start + rel, this.start + rel + len);
  }

  field(name: string, value: string, rel: number, length: number, extra?: Partial<DecodedField>): DecodedField {
    const f: DecodedField = { name, value, offset: this.start + rel, length, ...extra };
    this.layer.fields.push(f);
    return f;
  }

  /** A bit field inside the bytes at rel; start counts from the most significant bit. */
  bitField(name: string, value: string, rel: number, length: number, bitStart: number, bitLength: number): DecodedField {
    return this.field(name, value, rel, length, { bits: { start: bitStart, length: bitLength } });
  }

  /** Sets the layer's final size (headers know it only after reading a length field). */
  setLength(length: number): void {
    this.layer.length = Math.max(0, Math.min(length, this.end - this.start));
  }
}

export function bitChild(name: string, value: string, offset: number, length: number, bitStart: number, bitLength: number): DecodedField {
  return { name, value, offset, length, bits: { start: bitStart, length: bitLength } };
}
