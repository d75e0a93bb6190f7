// Splits a plan into sub-topologies at repartition topics and instantiates the operators of one
// sub-topology for one task: a handler per input topic that pushes records through the chain.

import type { Step } from '../plan/steps.ts';
import type { LogRecord } from '../log/log.ts';
import type { SqlType } from '../common/sql-type.ts';
import { internalRowCodec } from '../serde/internal-codec.ts';
import type { Change, Emit } from './change.ts';
import type { OperatorContext } from './operator-context.ts';
import { aggregateOperator } from './operators/aggregate.ts';
import { filterOperator } from './operators/filter.ts';
import { flatMapOperator } from './operators/flat-map.ts';
import { projectOperator } from './operators/project.ts';
import { rekeyOperator } from './operators/rekey.ts';
import { sinkOperator } from './operators/sink.ts';
import { sourceOperator, type RecordHandler } from './operators/source.ts';
import { suppressOperator } from './operators/suppress.ts';
import { joinOperator } from './operators/join.ts';
import { TaskStore } from './task-store.ts';

/** A sub-topology's root: a sink, a repartition sink, or (transient queries) an output callback. */
export type SubRoot =
  | { readonly kind: 'Sink'; readonly step: Step & { kind: 'Sink' } }
  | { readonly kind: 'Repartition'; readonly step: Step & { kind: 'Rekey' }; readonly topic: string }
  | { readonly kind: 'Output'; readonly step: Step };

export interface SubTopology {
  readonly root: SubRoot;
  /** Topics this sub-topology reads. */
  readonly inputTopics: readonly string[];
}

/** Splits at Rekey steps that go through a topic; upstream sub-topologies come first. */
export function splitTopology(root: SubRoot, repartition: boolean): SubTopology[] {
  const subs: SubTopology[] = [];
  const inputs = (step: Step, acc: string[]): void => {
    switch (step.kind) {
      case 'Source': acc.push(step.source.topic); return;
      case 'Join': inputs(step.left, acc); inputs(step.right, acc); return;
      case 'Rekey':
        if (step.viaTopic && repartition) {
          const upstream: SubRoot = { kind: 'Repartition', step, topic: step.viaTopic };
          subs.push(...splitTopology(upstream, repartition));
          acc.push(step.viaTopic);
          return;
        }
        inputs(step.input, acc); return;
      default: inputs(step.input, acc);
    }
  };
  const acc: string[] = [];
  inputs(root.kind === 'Repartition' ? root.step.input : root.step.kind === 'Sink' ? root.step.input : root.step, acc);
  subs.push({ root, inputTopics: [...new Set(acc)] });
  return subs;
}

/**
 * Encoding of repartition records: [f64 origin sequence (NaN = none)][u8 old known][u32 row length]
 * [row][old]. The sequence comes first so a task can order its inputs without decoding rows.
 */
export function repartitionCodec(layout: readonly { type: SqlType }[]) {
  const rowCodec = internalRowCodec(layout.map((c) => c.type));
  return {
    encode(c: Change, seq: number | undefined): Uint8Array {
      const row = rowCodec.encode(c.row);
      const old = rowCodec.encode(c.old ?? null);
      const out = Buffer.alloc(13 + row.length + old.length);
      out.writeDoubleBE(seq ?? NaN, 0);
      out.writeUInt8(c.old === undefined ? 0 : 1, 8);
      out.writeUInt32BE(row.length, 9);
      out.set(row, 13);
      out.set(old, 13 + row.length);
      return out;
    },
    decode(bytes: Uint8Array): { row: unknown[] | null; old: unknown[] | null | undefined; seq: number | undefined } {
      const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const seq = b.readDoubleBE(0);
      const oldKnown = b.readUInt8(8) === 1;
      const rl = b.readUInt32BE(9);
      const row = rowCodec.decode(b.subarray(13, 13 + rl));
      const old = rowCodec.decode(b.subarray(13 + rl));
      return { row, old: oldKnown ? old : undefined, seq: Number.isNaN(seq) ? undefined : seq };
    },
  };
}

/** The origin sequence of a repartition record, without decoding it. */
export function peekRepartitionSequence(value: Uint8Array | null): number | undefined {
  if (value === null || value.length < 8) return undefined;
  const seq = new DataView(value.buffer, value.byteOffset, 8).getFloat64(0);
  return Number.isNaN(seq) ? undefined : seq;
}

export interface TaskOperators {
  /** Handler per input topic. */
  readonly handlers: ReadonlyMap<string, RecordHandler>;
  /** Sequence carried by a repartition record, for ordering merges; set by the handler. */
  readonly lastSequence: () => number | undefined;
}

/**
 * Builds the operators of one sub-topology for one task. `output` receives the root's changes
 * for transient queries.
 */
export function instantiate(sub: SubTopology, ctx: OperatorContext, repartition: boolean, output?: Emit): TaskOperators {
  const handlers = new Map<string, RecordHandler>();
  let lastSeq: number | undefined;
  let sourceCount = 0;

  // `above`: the Filter/Project/Rekey steps a source's rows pass through (nearest first), so a stream
  // source can skip pseudo columns nobody reads (operators/source-columns.ts).
  const build = (step: Step, emit: Emit, above: readonly Step[] = []): void => {
    switch (step.kind) {
      case 'Source': {
        const storeName = step.isTable ? `KsqlTopic-Reduce-${step.alias}-${sourceCount++}` : undefined;
        handlers.set(step.source.topic, sourceOperator(step, ctx, emit, storeName, above));
        return;
      }
      case 'Filter': build(step.input, filterOperator(step, ctx, emit), [step, ...above]); return;
      case 'Project': build(step.input, projectOperator(step, ctx, emit), [step, ...above]); return;
      case 'FlatMap': build(step.input, flatMapOperator(step, ctx, emit)); return;
      // The aggregate keeps its own record cache (ksqlDB's cache.max.bytes.buffering).
      case 'Aggregate': build(step.input, aggregateOperator(step, ctx, emit)); return;
      case 'Suppress': build(step.input, suppressOperator(step, ctx, emit)); return;
      case 'Sink': build(step.input, sinkOperator(step, ctx)); return;
      case 'Join': {
        const j = joinOperator(step, ctx, emit);
        build(step.left, j.left);
        build(step.right, j.right);
        return;
      }
      case 'Rekey': {
        if (step.viaTopic && repartition) {
          // Downstream side of a repartition: records arrive from the topic already re-keyed.
          const codec = repartitionCodec(step.layout);
          const keyCount = step.keyCount;
          handlers.set(step.viaTopic, (rec, partition) => {
            const d = codec.decode(rec.value!);
            lastSeq = d.seq;
            const key = d.row ? d.row.slice(0, keyCount) : d.old ? d.old.slice(0, keyCount) : TaskStore.decodeKey(rec.key!);
            emit({ row: d.row, old: d.old, key, timestamp: rec.timestamp, window: undefined, headers: rec.headers, partition, offset: rec.offset });
          });
          return;
        }
        build(step.input, rekeyOperator(step, ctx, emit), [step, ...above]);
        return;
      }
    }
  };

  const root = sub.root;
  if (root.kind === 'Sink') build(root.step, () => undefined);
  else if (root.kind === 'Output') build(root.step, output ?? (() => undefined));
  else {
    const codec = repartitionCodec(root.step.layout);
    const topic = root.topic;
    // Several records re-keyed from one input (a table row moving key: removal, then addition)
    // keep their order downstream through a fractional sub-sequence.
    let lastOrigin: number | undefined;
    let sub = 0;
    build(root.step.input, rekeyOperator(root.step, ctx, (c) => {
      const origin = ctx.currentSequence();
      sub = origin === lastOrigin ? sub + 1 : 0;
      lastOrigin = origin;
      ctx.send({
        topic, partition: undefined, key: TaskStore.keyOf(c.key),
        value: codec.encode(c, origin === undefined ? undefined : origin + sub / 1024), timestamp: c.timestamp, headers: c.headers,
      });
    }), [root.step]);
  }
  return { handlers, lastSequence: () => lastSeq };
}

export type { LogRecord };
