// GROUP BY aggregation into a state store: plain, tumbling/hopping-windowed and session-windowed.
// Every update is emitted (no caching, like ksqlDB with cache.max.bytes.buffering=0) with the
// previous result as `old`, so HAVING can retract rows.

import { DOUBLE } from '../../common/sql-type.ts';
import { KsqlError } from '../../common/errors.ts';
import type { Step } from '../../plan/steps.ts';
import { internalRowCodec } from '../../serde/internal-codec.ts';
import type { Window } from '../../serde/serde.ts';
import type { Change, Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { TaskStore } from '../task-store.ts';
import { timeWindowsFor, windowClosed } from '../windows.ts';

type Stored = unknown[]; // [...accumulators, maxTimestamp, (sessionEnd)]

export function aggregateOperator(step: Step & { kind: 'Aggregate' }, ctx: OperatorContext, emit: Emit): Emit {
  const aggs = step.aggregates;
  const n = aggs.length;
  const keyCount = step.keyCount;
  const spec = step.window;
  const codec = internalRowCodec([...aggs.map((a) => a.fn.accumulatorType), DOUBLE, DOUBLE]);
  const store = ctx.store<Stored | null>(step.store, codec as never);
  let streamTime = -Infinity;

  const argsOf = (row: unknown[], i: number): unknown[] => aggs[i]!.argIndexes.map((j) => row[j] ?? null);
  const apply = (accs: unknown[], c: Change): unknown[] => {
    try {
      let out = accs;
      if (c.old) out = out.map((a, i) => aggs[i]!.fn.undo!(a, argsOf(c.old!, i)));
      if (c.row) out = out.map((a, i) => aggs[i]!.fn.add(a, argsOf(c.row!, i)));
      return out;
    } catch (e) {
      if (e instanceof KsqlError && e.category === 'runtime') {
        throw new KsqlError('runtime', `Exception caught in process. taskId=0_${ctx.partition}, processor=Aggregate-Aggregate: ${e.message}`, { cause: e });
      }
      throw e;
    }
  };
  const resultRow = (key: readonly unknown[], accs: unknown[], ts: number, w: Window | undefined): unknown[] => {
    const row: unknown[] = [...key];
    for (let i = 0; i < n; i++) row.push(aggs[i]!.fn.result(accs[i]));
    row.push(BigInt(ts));
    if (w) row.push(BigInt(w.start), BigInt(w.end));
    return row;
  };
  const initial = (): unknown[] => aggs.map((a) => a.fn.initial());

  if (!spec) {
    return (c) => {
      if (c.row === null && !c.old) return;
      if (c.key.length === keyCount && c.key.some((k) => k === null)) {
        ctx.processingError('RECORD_PROCESSING_ERROR', 'Skipping record: GROUP BY key is null', c);
        return;
      }
      const k = TaskStore.keyOf(c.key);
      const prev = store.get(k) ?? null;
      const prevAccs = prev ? prev.slice(0, n) : null;
      const accs = apply(prevAccs ?? initial(), c);
      const ts = Math.max(c.timestamp, prev ? (prev[n] as number) : -Infinity);
      store.put(k, [...accs, ts, 0]);
      emit({
        ...c, key: c.key, timestamp: ts, window: undefined, keyBytes: k,
        row: resultRow(c.key, accs, ts, undefined),
        old: prevAccs ? resultRow(c.key, prevAccs, prev![n] as number, undefined) : null,
      });
    };
  }

  if (spec.type !== 'SESSION') {
    return (c) => {
      if (c.row === null) return;
      if (c.key.some((k) => k === null)) {
        ctx.processingError('RECORD_PROCESSING_ERROR', 'Skipping record: GROUP BY key is null', c);
        return;
      }
      streamTime = Math.max(streamTime, c.timestamp);
      for (const w of timeWindowsFor(spec, c.timestamp)) {
        if (windowClosed(spec, w, streamTime)) continue;
        const k = TaskStore.keyOf([...c.key, w.start]);
        const prev = store.get(k) ?? null;
        const prevAccs = prev ? prev.slice(0, n) : null;
        const accs = apply(prevAccs ?? initial(), c);
        const ts = Math.max(c.timestamp, prev ? (prev[n] as number) : -Infinity);
        store.put(k, [...accs, ts, w.end]);
        emit({
          ...c, key: c.key, timestamp: ts, window: w, keyBytes: k,
          row: resultRow(c.key, accs, ts, w),
          old: prevAccs ? resultRow(c.key, prevAccs, prev![n] as number, w) : null,
        });
      }
    };
  }

  const gap = spec.sizeMs;
  return (c) => {
    if (c.row === null) return;
    if (c.key.some((k) => k === null)) {
      ctx.processingError('RECORD_PROCESSING_ERROR', 'Skipping record: GROUP BY key is null', c);
      return;
    }
    streamTime = Math.max(streamTime, c.timestamp);
    const ts = c.timestamp;
    const prefix = TaskStore.keyOf(c.key);
    const overlapping: { key: Uint8Array; start: number; end: number; value: Stored }[] = [];
    for (const e of store.prefixScan(prefix)) {
      if (!e.value) continue;
      const start = Number(TaskStore.decodeKey(e.key)[c.key.length]);
      const end = e.value[n + 1] as number;
      if (end >= ts - gap && start <= ts + gap && !windowClosed(spec, { start, end }, streamTime)) {
        overlapping.push({ key: e.key, start, end, value: e.value });
      }
    }
    let start = ts;
    let end = ts;
    for (const o of overlapping) {
      start = Math.min(start, o.start);
      end = Math.max(end, o.end);
    }
    if (windowClosed(spec, { start, end }, streamTime)) {
      ctx.processingError('RECORD_PROCESSING_ERROR', 'Skipping late record for a closed session window', c);
      return;
    }
    let accs = initial();
    let maxTs = ts;
    for (const o of overlapping) {
      accs = accs.map((a, i) => aggs[i]!.fn.merge(a, o.value[i]));
      maxTs = Math.max(maxTs, o.value[n] as number);
    }
    accs = apply(accs, c);
    for (const o of overlapping) {
      store.delete(o.key);
      const w = { start: o.start, end: o.end };
      emit({ ...c, key: c.key, row: null, window: w, timestamp: o.value[n] as number, old: resultRow(c.key, o.value.slice(0, n), o.value[n] as number, w) });
    }
    const w = { start, end };
    store.put(TaskStore.keyOf([...c.key, start]), [...accs, maxTs, end]);
    emit({ ...c, key: c.key, timestamp: maxTs, window: w, row: resultRow(c.key, accs, maxTs, w), old: null });
  };
}
