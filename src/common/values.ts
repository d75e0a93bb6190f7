// How SQL values are represented at run time. Every part of the engine (serdes, functions,
// expression evaluation, state, REST output) uses exactly this mapping:
//
//   SQL type    JS value
//   ---------   -----------------------------------------------------------------
//   NULL        null            (never undefined)
//   BOOLEAN     boolean
//   INTEGER     number          (a 32-bit integer; arithmetic wraps like Java int)
//   BIGINT      bigint          (64-bit; arithmetic wraps like Java long: BigInt.asIntN(64, x))
//   DOUBLE      number
//   DECIMAL     Decimal         (src/common/decimal.ts; exact, scale kept)
//   STRING      string
//   BYTES       Uint8Array      (Buffer is fine: it is a Uint8Array)
//   TIMESTAMP   number          (milliseconds since the epoch, UTC)
//   DATE        number          (days since the epoch)
//   TIME        number          (milliseconds since midnight)
//   ARRAY<T>    T[]
//   MAP<K,V>    Map<K, V>
//   STRUCT<..>  Struct: a plain object whose own keys are the field names in schema order
//
// Values are treated as immutable once produced.

import { Decimal } from './decimal.ts';

export type Struct = { [field: string]: unknown };

export function isStruct(v: unknown): v is Struct {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) &&
    !(v instanceof Uint8Array) && !(v instanceof Decimal);
}

/** Java int overflow semantics. */
export function toInt32(n: number): number {
  return n | 0;
}

/** Java long overflow semantics. */
export function toInt64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}
