// Reads records of a stream or table topic: decodes key and value with the source's formats,
// extracts event time, header columns and pseudo columns. Tables are materialized in a store so
// every change knows the row it replaces. Undecodable records go to the processing log.

import type { Column } from '../../catalog/schema.ts';
import type { LogRecord } from '../../log/log.ts';
import type { Step } from '../../plan/steps.ts';
import { internalRowCodec } from '../../serde/internal-codec.ts';
import { createKeySerde, createValueSerde } from '../../serde/serde-factory.ts';
import type { Change, Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { TaskStore } from '../task-store.ts';
import { timestampFromColumn } from '../timestamp-extraction.ts';
import { columnsReadAbove } from './source-columns.ts';

export type RecordHandler = (rec: LogRecord, partition: number) => void;

/** `above`: the steps this source's rows go through, nearest first (undefined = unknown). */
export function sourceOperator(
  step: Step & { kind: 'Source' }, ctx: OperatorContext, emit: Emit, storeName: string | undefined, above?: readonly Step[],
): RecordHandler {
  const src = step.source;
  const topic = src.topic;
  const keySerde = createKeySerde(src.keyFormat, src.schema.key);
  const dataColumns: Column[] = src.schema.value.filter((c) => c.namespace === 'VALUE');
  const valueCols = src.schema.value;
  // Streams without header columns copy the decoded values straight into the row.
  const onlyValues = valueCols.every((c) => c.namespace === 'VALUE');
  const keyCount = src.schema.key.length;
  // Tables keep whole rows in their store; a stream fills only the columns the steps above read.
  const read = step.isTable || above === undefined ? undefined : columnsReadAbove(above);
  const windowed = step.windowed;
  const allCols = [...src.schema.key, ...src.schema.value];
  const tsIndex = src.timestampColumn === undefined ? -1 : allCols.findIndex((c) => c.name === src.timestampColumn);
  // Value column i is row column keyCount + i when there are no header columns; the event-time
  // column is read here.
  const isRead = (i: number): boolean => read!.has(keyCount + i) || keyCount + i === tsIndex;
  const unread = read && onlyValues ? new Set(dataColumns.flatMap((_, i) => (isRead(i) ? [] : [i]))) : undefined;
  const valueSerde = createValueSerde(src.valueFormat, dataColumns, { unread });
  const tsType = tsIndex >= 0 ? allCols[tsIndex]!.type : undefined;
  const store = step.isTable && storeName
    ? ctx.store<unknown[] | null>(storeName, internalRowCodec(step.layout.map((c) => c.type)) as never)
    : undefined;

  const width = step.layout.length;
  const base = keyCount + valueCols.length;
  const fillRowtime = read === undefined || read.has(base);
  const fillRowoffset = read === undefined || read.has(base + 2);
  // Streams without header columns decode the value straight into the row (no array in between).
  const direct = onlyValues && valueSerde.deserializeInto !== undefined;

  return (rec, partition) => {
    let key: unknown[];
    let window;
    try {
      const k = keySerde.deserialize(rec.key, topic);
      key = k.key;
      window = k.window;
    } catch (e) {
      ctx.processingError('DESERIALIZATION_ERROR', deserializationMessage('key', topic, e), where(rec, partition), topic);
      return;
    }
    let row: unknown[] | null = null;
    let data: unknown[] | null = null;
    try {
      if (direct) {
        row = new Array<unknown>(width);
        if (!valueSerde.deserializeInto!(rec.value, topic, row, keyCount)) row = null;
      } else {
        data = valueSerde.deserialize(rec.value, topic);
      }
    } catch (e) {
      ctx.processingError('DESERIALIZATION_ERROR', deserializationMessage('value', topic, e), where(rec, partition), topic);
      return;
    }
    if (step.isTable && keyCount > 0 && key.every((k) => k === null || k === undefined)) {
      // A table row needs its primary key: ksqlDB drops such records (with a processing-log entry).
      ctx.processingError('RECORD_PROCESSING_ERROR', `Skipping record with a null primary key on topic ${topic}`, where(rec, partition), topic);
      return;
    }
    let timestamp = rec.timestamp;
    if (data !== null) {
      row = new Array<unknown>(width);
      if (onlyValues) {
        for (let i = 0; i < valueCols.length; i++) row[keyCount + i] = data[i] ?? null;
      } else {
        let d = 0;
        for (let i = 0; i < valueCols.length; i++) {
          const col = valueCols[i]!;
          row[keyCount + i] = col.namespace === 'VALUE' ? data[d++] ?? null
            : col.namespace === 'HEADERS' ? rec.headers.map((h) => ({ KEY: h.key, VALUE: h.value }))
            : lastHeader(rec, col.headerKey!);
        }
      }
    }
    if (row !== null) {
      for (let i = 0; i < keyCount; i++) row[i] = key[i] ?? null;
      if (tsIndex >= 0) {
        const t = timestampFromColumn(row[tsIndex] ?? null, tsType!, src.timestampFormat);
        if (t === undefined || t < 0) {
          if (ctx.throwOnInvalidTimestamp) {
            throw new Error(`Fatal user code error in TimestampExtractor callback for record on topic ${topic}, partition ${partition}, ` +
              `offset ${rec.offset}: invalid timestamp in column ${src.timestampColumn} (ksql.timestamp.throw.on.invalid is true)`);
          }
          ctx.processingError('RECORD_PROCESSING_ERROR', `Invalid timestamp in column ${src.timestampColumn} on topic ${topic}`, where(rec, partition), topic);
          return;
        }
        timestamp = t;
      }
      row[base] = fillRowtime ? BigInt(timestamp) : null;
      row[base + 1] = partition;
      row[base + 2] = fillRowoffset ? BigInt(rec.offset) : null;
      if (windowed && window) {
        row[base + 3] = BigInt(window.start);
        row[base + 4] = BigInt(window.end);
      }
    }
    let old: unknown[] | null | undefined;
    if (store) {
      const k = TaskStore.keyOf(window ? [...key, window.start] : key);
      old = store.get(k) ?? null;
      if (row === null && old === null) return;
      store.put(k, row);
    }
    const change: Change = { row, key, old, timestamp, window, headers: rec.headers, partition, offset: rec.offset };
    emit(change);
  };
}

/** The serdes already say "Failed to deserialize ... from topic"; add it only when they did not. */
function deserializationMessage(part: 'key' | 'value', topic: string, e: unknown): string {
  const msg = (e as Error).message ?? String(e);
  return msg.startsWith('Failed to deserialize') ? msg : `Failed to deserialize ${part} from topic: ${topic}. ${msg}`;
}

/** Where a record came from, for processing-log entries. */
function where(rec: LogRecord, partition: number): Change {
  return { row: null, key: [], old: undefined, timestamp: rec.timestamp, window: undefined, headers: rec.headers, partition, offset: rec.offset };
}

function lastHeader(rec: LogRecord, key: string): Uint8Array | null {
  for (let i = rec.headers.length - 1; i >= 0; i--) {
    if (rec.headers[i]!.key === key) return rec.headers[i]!.value;
  }
  return null;
}
