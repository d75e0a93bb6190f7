// Bytewise ordering of keys, shared by the state stores (and what lmdb's binary keys use).

/** <0, 0, >0 like Buffer.compare: unsigned bytes, a prefix sorts first. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
