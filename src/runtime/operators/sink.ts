// Writes rows to the sink topic in the sink's key and value formats. Tables write tombstones for
// deleted keys. A row that cannot be serialized goes to the processing log, not the topic.

import type { Step } from '../../plan/steps.ts';
import type { Column } from '../../catalog/schema.ts';
import { createKeySerde, createValueSerde } from '../../serde/serde-factory.ts';
import type { Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { timestampFromColumn } from '../timestamp-extraction.ts';
import { DOUBLE } from '../../common/sql-type.ts';
import { internalRowCodec } from '../../serde/internal-codec.ts';
import { TaskStore } from '../task-store.ts';

/** Name of the store holding a table sink's current rows: [...row, timestamp, windowStart, windowEnd]. */
export const MATERIALIZE_STORE = 'Materialize';

export function sinkOperator(step: Step & { kind: 'Sink' }, ctx: OperatorContext): Emit {
  const input = step.input;
  const keyColumns: Column[] = input.layout.slice(0, input.keyCount).map((c) => ({ name: c.name, type: c.type, namespace: 'KEY' }));
  const valueColumns: Column[] = step.valueIndexes.map((i) => ({ name: input.layout[i]!.name, type: input.layout[i]!.type, namespace: 'VALUE' }));
  const keySerde = createKeySerde(step.keyFormat, keyColumns);
  const valueSerde = createValueSerde(step.valueFormat, valueColumns);
  const valueIndexes = step.valueIndexes;
  const topic = step.topic;
  const tsIndex = step.timestampIndex;
  const tsType = tsIndex === undefined ? undefined : input.layout[tsIndex]!.type;
  // Tables keep their current rows in a store: pull queries and standby replicas read it.
  const materialized = step.isTable
    ? ctx.store<unknown[] | null>(MATERIALIZE_STORE, internalRowCodec([...input.layout.map((col) => col.type), DOUBLE, DOUBLE, DOUBLE]) as never)
    : undefined;
  const materializeOnly = materialized !== undefined && readsTopic(input, topic);
  const writes = step.writes !== false;
  // The value columns of one row, refilled per record: serializers only read it while called.
  const values: unknown[] = new Array(valueIndexes.length);
  return (c) => {
    if (materialized) {
      const k = TaskStore.keyStringOf(c.window ? [...c.key, c.window.start] : c.key);
      materialized.putByKeyString(k, c.row === null ? null : [...c.row, c.timestamp, c.window?.start ?? null, c.window?.end ?? null]);
    }
    if (!writes) return;
    // CREATE SOURCE TABLE materializes its own topic: writing back would feed the input forever.
    if (materializeOnly) return;
    let key: Uint8Array | null;
    let partitionKey: Uint8Array | undefined;
    let value: Uint8Array | null;
    let timestamp = c.timestamp;
    try {
      key = keyColumns.length === 0 ? null : keySerde.serialize(c.key, c.window, topic);
      // Windowed keys are partitioned by the key without its window, as Kafka Streams'
      // WindowedStreamPartitioner does: every window of a key lands in one partition.
      if (key !== null && keySerde.baseKey) partitionKey = keySerde.baseKey(key);
      if (c.row === null) value = null;
      else {
        for (let i = 0; i < valueIndexes.length; i++) values[i] = c.row[valueIndexes[i]!] ?? null;
        value = valueSerde.serialize(values, topic);
      }
      if (tsIndex !== undefined && c.row !== null) {
        const t = timestampFromColumn(c.row[tsIndex] ?? null, tsType!, step.timestampFormat);
        if (t === undefined) return;
        if (t < 0) {
          // Kafka's producer refuses negative timestamps; ksqlDB logs the record and skips it.
          ctx.processingError('PRODUCTION_ERROR', `Invalid timestamp: ${t}. Timestamp should always be non-negative or null.`, c, topic);
          return;
        }
        timestamp = t;
      }
    } catch (e) {
      ctx.processingError('SERIALIZATION_ERROR', `Error serializing record for topic ${topic}: ${(e as Error).message}`, c, topic);
      return;
    }
    ctx.send({ topic, partition: undefined, key, value, timestamp, headers: c.headers, ...(partitionKey ? { partitionKey } : {}) });
  };
}

function readsTopic(step: Step, topic: string): boolean {
  if (step.kind === 'Source') return step.source.topic === topic;
  return 'input' in step && readsTopic(step.input, topic);
}
