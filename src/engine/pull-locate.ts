// Which partition (task) of a table's materializing query holds a key. The high-availability work
// routes pull queries by `locateKeyPartitions`; single-node pull queries read only those tasks.

import type { Column } from '../catalog/schema.ts';
import { partitionForKey } from '../runtime/partitioner.ts';
import { TaskStore } from '../runtime/task-store.ts';
import type { SubTopology } from '../runtime/topology.ts';
import { createKeySerde } from '../serde/serde-factory.ts';
import type { Step } from '../plan/steps.ts';
import type { BoundExpr } from '../analyzer/bound-expr.ts';

/**
 * How the rows of a materialized table were spread over partitions:
 * - 'key-bytes': they came through a repartition topic keyed by `TaskStore.keyOf(key)` (Riffle's
 *   repartition records use those bytes, partitioned by Kafka's default partitioner);
 * - 'unknown': the source topic's producers chose the partitions; a key may be anywhere.
 */
export type KeyPartitioning =
  | { readonly kind: 'key-bytes'; readonly partitions: number }
  | { readonly kind: 'unknown'; readonly partitions: number };

/** The partitions to read for each key: partition -> indexes into `keys`. */
export function locateKeyPartitions(keys: readonly (readonly unknown[])[], partitioning: KeyPartitioning): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const add = (p: number, i: number): void => {
    const list = out.get(p);
    if (list) list.push(i);
    else out.set(p, [i]);
  };
  keys.forEach((key, i) => {
    if (partitioning.kind === 'key-bytes') add(partitionForKey(TaskStore.keyOf(key), partitioning.partitions), i);
    else for (let p = 0; p < partitioning.partitions; p++) add(p, i);
  });
  return out;
}

/** The partitioning of the sub-topology that ends in the table's sink, over `partitions` tasks. */
export function partitioningOf(subs: readonly SubTopology[], keyCount: number, partitions: number): KeyPartitioning {
  const last = subs[subs.length - 1];
  const repartitions = new Map(subs.flatMap((s) => (s.root.kind === 'Repartition' ? [[s.root.topic, s.root.step] as const] : [])));
  const only = last && last.inputTopics.length === 1 ? repartitions.get(last.inputTopics[0]!) : undefined;
  // Only a single repartitioned input keyed by exactly the table's key tells where a key went.
  if (only && only.keyCount === keyCount) return { kind: 'key-bytes', partitions };
  return { kind: 'unknown', partitions };
}

/**
 * ksqlDB's order of a table scan: partition by partition (ksqlDB partitions by the serialized key
 * when it repartitions), within a partition by the serialized key bytes (RocksDB's order), then by
 * window start. With LIMIT this decides which rows are returned.
 */
export function ksqlScanOrder(sink: Step & { kind: 'Sink' }, keyCount: number, repartitioned: boolean, partitions: number) {
  const input = sink.input;
  const columns: Column[] = input.layout.slice(0, keyCount).map((c) => ({ name: c.name, type: c.type, namespace: 'KEY' }));
  const serde = createKeySerde({ ...sink.keyFormat, window: undefined }, columns);
  return (rows: { key: unknown[]; windowStart: number; taskPartition: number }[]): number[] => {
    const keyed = rows.map((r, i) => {
      let bytes: Uint8Array;
      try {
        bytes = serde.serialize(r.key, undefined, sink.topic) ?? new Uint8Array(0);
      } catch {
        bytes = TaskStore.keyOf(r.key);
      }
      const partition = repartitioned && bytes.length > 0 ? partitionForKey(bytes, partitions) : r.taskPartition;
      return { i, partition, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ws: r.windowStart };
    });
    keyed.sort((a, b) => a.partition - b.partition || Buffer.compare(a.bytes, b.bytes) || a.ws - b.ws);
    return keyed.map((k) => k.i);
  };
}

/**
 * For a table materialized straight from its source topic (no repartition), the partition where
 * the source's producers put a key if they used Kafka's default partitioner on the serialized key,
 * as Riffle's inserts and most Kafka clients do. ksqlDB looks a key up in that partition only;
 * Riffle reads it first and the others only when the key is not there (another partitioner).
 * Undefined when the table's rows came through a repartition topic or its key is not the source's.
 */
export function likelyKeyPartition(subs: readonly SubTopology[], keyCount: number, partitions: number): ((key: readonly unknown[]) => number | undefined) | undefined {
  const last = subs[subs.length - 1];
  if (!last || last.inputTopics.length !== 1 || partitions < 2) return undefined;
  const source = findSource(last.root.step, last.inputTopics[0]!);
  if (!source || source.source.schema.key.length !== keyCount) return undefined;
  const columns: Column[] = source.source.schema.key.map((c) => ({ name: c.name, type: c.type, namespace: 'KEY' }));
  let serde;
  try {
    serde = createKeySerde({ ...source.source.keyFormat, window: undefined }, columns);
  } catch {
    return undefined;
  }
  const topic = source.source.topic;
  return (key) => {
    try {
      const bytes = serde.serialize(key, undefined, topic);
      return bytes && bytes.length > 0 ? partitionForKey(bytes, partitions) : undefined;
    } catch {
      return undefined;
    }
  };
}

function findSource(step: Step, topic: string): (Step & { kind: 'Source' }) | undefined {
  if (step.kind === 'Source') return step.source.topic === topic ? step : undefined;
  // A new key (even without a topic in between) is not the one the producers partitioned by.
  if ((step.kind === 'Rekey' || step.kind === 'Project') && !keepsKey(step.exprs, step.keyCount, step.input.keyCount)) return undefined;
  if (step.kind === 'Join') return findSource(step.left, topic) ?? findSource(step.right, topic);
  return 'input' in step ? findSource(step.input, topic) : undefined;
}

/** The first `keyCount` expressions are the input's key columns, in order. */
function keepsKey(exprs: readonly BoundExpr[], keyCount: number, inputKeyCount: number): boolean {
  if (keyCount !== inputKeyCount) return false;
  for (let i = 0; i < keyCount; i++) {
    const e = exprs[i];
    if (!e || e.kind !== 'Column' || e.index !== i) return false;
  }
  return true;
}
