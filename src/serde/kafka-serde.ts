// The KAFKA format: a single column in Kafka's primitive serializer layout (INT 4-byte big-endian,
// BIGINT 8-byte big-endian, DOUBLE 8-byte IEEE, STRING UTF-8, BYTES raw). No columns: bytes ignored.

import { formatColumn, type Column } from '../catalog/schema.ts';
import type { SqlType } from '../common/sql-type.ts';
import { SerdeError, type RowSerde } from './serde.ts';
import { utf8Decode, utf8Encode } from './text-bytes.ts';

interface Codec {
  write(v: unknown): Uint8Array;
  read(bytes: Uint8Array): unknown;
}

// Values are written into one scratch view and copied out: a DataView over a new small array's
// `.buffer` makes V8 move that array off the heap, ten times the cost of the copy.
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

function fixed(size: number, label: string, write: (dv: DataView, v: unknown) => void, read: (dv: DataView) => unknown): Codec {
  return {
    write(v) {
      write(scratch, v);
      return scratchBytes.slice(0, size);
    },
    read(bytes) {
      if (bytes.length !== size) throw new Error(`Size of data received by ${label} is not ${size}`);
      return read(new DataView(bytes.buffer, bytes.byteOffset, size));
    },
  };
}

function codecFor(type: SqlType): Codec | undefined {
  switch (type.kind) {
    case 'INTEGER':
      return fixed(4, 'IntegerDeserializer', (dv, v) => dv.setInt32(0, v as number), (dv) => dv.getInt32(0));
    case 'BIGINT':
      return fixed(8, 'LongDeserializer', (dv, v) => dv.setBigInt64(0, BigInt(v as bigint)), (dv) => dv.getBigInt64(0));
    case 'DOUBLE':
      return fixed(8, 'DoubleDeserializer', (dv, v) => dv.setFloat64(0, v as number), (dv) => dv.getFloat64(0));
    case 'STRING':
      return { write: (v) => utf8Encode(v as string), read: utf8Decode };
    case 'BYTES':
      return { write: (v) => v as Uint8Array, read: (b) => new Uint8Array(b) };
    default:
      return undefined;
  }
}

/** Why the KAFKA format cannot hold these columns (ksqlDB's text), or undefined when it can. */
export function kafkaFormatProblem(columns: readonly Column[]): string | undefined {
  if (columns.length > 1) {
    return `The 'KAFKA' format only supports a single field. Got: [${columns.map(formatColumn).join(', ')}]`;
  }
  const c = columns[0];
  if (c && !codecFor(c.type)) return `The 'KAFKA' format does not support type '${c.type.kind}'`;
  return undefined;
}

export function createKafkaSerde(columns: readonly Column[], target: 'key' | 'value'): RowSerde {
  const problem = kafkaFormatProblem(columns);
  if (problem) throw new SerdeError(problem);
  const column = columns[0];
  if (!column) {
    return { columns, serialize: () => null, deserialize: (bytes) => (bytes === null ? null : []) };
  }
  const codec = codecFor(column.type)!;
  return {
    columns,
    serialize(row) {
      if (row === null) return null;
      const v = row[0];
      return v === null || v === undefined ? null : codec.write(v);
    },
    deserialize(bytes, topic) {
      if (bytes === null) return null;
      try {
        return [codec.read(bytes)];
      } catch (e) {
        throw new SerdeError(`Failed to deserialize ${target} from topic: ${topic}. ${(e as Error).message}`, { cause: e });
      }
    },
  };
}
