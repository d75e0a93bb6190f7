// UTF-8 and base64 conversions between strings and Uint8Array, shared by every serde.
// Node's Buffer is used because it is markedly faster than TextEncoder/TextDecoder on short records.

import { Buffer } from 'node:buffer';

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// Buffer's own utf8Slice/utf8Write: toString/write validate their arguments and look the
// encoding up on every call, a visible share of a record's cost when called once per record.
interface RawUtf8 {
  utf8Slice(start: number, end: number): string;
  utf8Write(text: string, offset: number, length: number): number;
}

export function utf8Decode(bytes: Uint8Array): string {
  return (asBuffer(bytes) as unknown as RawUtf8).utf8Slice(0, bytes.byteLength);
}

// Encoded records are carved out of 64 KiB slabs: one allocation per slab instead of per record.
// A record's bytes keep its slab alive, as Buffer's own pool does.
const SLAB_SIZE = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
let slabUsed = 0;

export function utf8Encode(text: string): Uint8Array {
  const worst = text.length * 3;
  if (worst > SLAB_SIZE >> 3) return Buffer.from(text, 'utf8');
  if (SLAB_SIZE - slabUsed < worst) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
    slabUsed = 0;
  }
  const written = (slab as unknown as RawUtf8).utf8Write(text, slabUsed, SLAB_SIZE - slabUsed);
  const out = slab.subarray(slabUsed, slabUsed + written);
  slabUsed += written;
  return out;
}

export function base64Encode(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('base64');
}

/** Decodes standard or URL-safe base64; returns undefined when the text is not base64. */
export function base64Decode(text: string): Uint8Array | undefined {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(t) || t.length % 4 === 1) return undefined;
  // Copy out of Buffer's shared pool so the value does not pin unrelated memory.
  return new Uint8Array(Buffer.from(t, 'base64'));
}
