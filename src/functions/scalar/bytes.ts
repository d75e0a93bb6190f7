// Conversions between BYTES and strings/numbers: TO_BYTES, FROM_BYTES and the big/little-endian
// INT/BIGINT/DOUBLE_FROM_BYTES, plus UUID (random or from 16 bytes).

import { randomUUID } from 'node:crypto';
import { BIGINT, BYTES, DOUBLE, INTEGER, STRING } from '../../common/sql-type.ts';
import type { ScalarFunction } from '../function-types.ts';
import { P } from '../signature.ts';
import { byteEncoding, decodeString, encodeBytes } from './byte-codecs.ts';
import { defineScalar, strict } from './define.ts';

function littleEndian(order: unknown): boolean {
  const o = order === undefined ? 'BIG_ENDIAN' : (order as string | null);
  if (o !== null && o.toUpperCase() === 'BIG_ENDIAN') return false;
  if (o !== null && o.toUpperCase() === 'LITTLE_ENDIAN') return true;
  throw new Error(`Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order '${String(o)}'.`);
}

function view(b: Uint8Array, size: number): DataView {
  if (b.length !== size) throw new Error(`Number of bytes must be equal to ${size}, but found ${b.length}`);
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function fromBytes(name: string, size: number, read: (v: DataView, le: boolean) => unknown, returns: typeof INTEGER): ScalarFunction {
  const body = (a: unknown[]): unknown => {
    if (a[0] === null) return null;
    return read(view(a[0] as Uint8Array, size), littleEndian(a[1]));
  };
  return defineScalar({
    name, category: 'CONVERSIONS', description: `Converts a BYTES value to ${returns.kind}, big-endian unless 'LITTLE_ENDIAN' is given.`,
    overloads: [
      { params: [P.BYTES], returns, invoke: body },
      { params: [P.BYTES, P.STRING], names: ['value', 'byteOrder'], returns, invoke: body },
    ],
  });
}

function uuidFromBytes(b: Uint8Array): string | null {
  if (b.length !== 16) return null;
  const h = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const bytesFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'TO_BYTES', category: 'STRING', description: "Converts a STRING to BYTES using 'hex', 'utf8', 'ascii' or 'base64'.",
    overloads: [{ params: [P.STRING, P.STRING], names: ['value', 'encoding'], returns: BYTES, invoke: strict((a) => decodeString(a[0] as string, byteEncoding(a[1] as string))) }],
  }),
  defineScalar({
    name: 'FROM_BYTES', category: 'STRING', description: "Converts BYTES to a STRING using 'hex', 'utf8', 'ascii' or 'base64'.",
    overloads: [{ params: [P.BYTES, P.STRING], names: ['value', 'encoding'], returns: STRING, invoke: strict((a) => encodeBytes(a[0] as Uint8Array, byteEncoding(a[1] as string))) }],
  }),
  fromBytes('INT_FROM_BYTES', 4, (v, le) => v.getInt32(0, le), INTEGER),
  fromBytes('BIGINT_FROM_BYTES', 8, (v, le) => v.getBigInt64(0, le), BIGINT),
  fromBytes('DOUBLE_FROM_BYTES', 8, (v, le) => v.getFloat64(0, le), DOUBLE),
  defineScalar({
    name: 'UUID', errorName: 'UUID', category: 'STRING', description: 'Creates a random UUID, or converts 16 bytes to a UUID string.',
    overloads: [
      { params: [], returns: STRING, invoke: () => randomUUID() },
      { params: [P.BYTES], returns: STRING, invoke: strict((a) => uuidFromBytes(a[0] as Uint8Array)) },
    ],
  }),
];
