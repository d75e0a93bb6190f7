// The serde contract: turns the columns of a key or value into bytes and back, for one format.
// Implementations live in this folder, one file per format; `createKeySerde`/`createValueSerde`
// (serde-factory.ts) pick one. Values follow src/common/values.ts.

import type { Column } from '../catalog/schema.ts';

/** A record that cannot be read or written; the message says which field and why. */
export class SerdeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SerdeError';
  }
}

export interface RowSerde {
  readonly columns: readonly Column[];
  /** `row` holds one value per column; null row = no bytes (a tombstone for values). */
  serialize(row: readonly unknown[] | null, topic: string): Uint8Array | null;
  /** Throws SerdeError on malformed bytes; null bytes give null. */
  deserialize(bytes: Uint8Array | null, topic: string): unknown[] | null;
  /**
   * Optional fast path of `deserialize`: writes the columns into row[at..at + columns.length)
   * instead of a new array; false when deserialize would give null (row[at..] may then hold
   * anything). Throws as deserialize does.
   */
  deserializeInto?(bytes: Uint8Array | null, topic: string, row: unknown[], at: number): boolean;
}

export interface Window {
  readonly start: number;
  readonly end: number;
}

export interface WindowedKey {
  readonly key: unknown[];
  readonly window: Window;
}

export interface KeySerde {
  readonly columns: readonly Column[];
  readonly windowed: boolean;
  serialize(key: readonly unknown[], window: Window | undefined, topic: string): Uint8Array | null;
  /** Windowed serdes: the bytes of a serialized key without its window (what partitioners hash). */
  baseKey?(bytes: Uint8Array): Uint8Array;
  /** For windowed keys `window` is set (end = start + size for time windows). */
  deserialize(bytes: Uint8Array | null, topic: string): { key: unknown[]; window: Window | undefined };
}
