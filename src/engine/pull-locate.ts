// Which partition (task) of a table's materializing query holds a key. The high-availability work
// routes pull queries by `locateKeyPartitions`; single-node pull queries read only those tasks.

import type { Column } from '../catalog/schema.ts';
import { partitionForKey } from '../runtime/partitioner.ts';
import { TaskStore } from '../runtime/task-store.ts';
import type { SubTopology } from '../runtime/topology.ts';
import { createKeySerde } from '../serde/serde-factory.ts';
import type { Step } from '../plan/steps.ts';

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
