// GROUP BY aggregation into a state store: plain, tumbling/hopping-windowed and session-windowed.
// Each update's change carries the previous result as `old`, so HAVING can retract rows. With the
// record cache on (ksqlDB's cache.max.bytes.buffering, operators/change-cache.ts) the updates of a
// key between two commits merge into one change, built only when the cache emits it; with it off
// every update is emitted.

import { DOUBLE } from '../../common/sql-type.ts';
import { KsqlError } from '../../common/errors.ts';
import type { Step } from '../../plan/steps.ts';
import { internalRowCodec } from '../../serde/internal-codec.ts';
import type { Window } from '../../serde/serde.ts';
import type { Change, Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { TaskStore } from '../task-store.ts';
import { timeWindowsFor, windowClosed } from '../windows.ts';
import { ChangeCache } from './change-cache.ts';

type Stored = unknown[]; // [...accumulators, maxTimestamp, (sessionEnd | window end | 0)]

/** A key's update not emitted yet: its change is built from this when emitted. */
interface PendingUpdate {
  /** The newest input change: its key, headers and record position are the output's. */
  input: Change;
  /** The stored value after the newest update. */
  stored: Stored;
  /** The stored value before the oldest update not emitted yet (null: the key was new). */
  readonly before: Stored | null;
  readonly window: Window | undefined;
}

function hasNull(key: readonly unknown[]): boolean {
  for (let i = 0; i < key.length; i++) if (key[i] === null) return true;
  return false;
}

export function aggregateOperator(step: Step & { kind: 'Aggregate' }, ctx: OperatorContext, emit: Emit): Emit {
  /** ksqlDB drops a record whose GROUP BY key has a null, with a processing-log entry. */
  const nullKeySkipped = (c: Change): boolean => {
    if (!hasNull(c.key)) return false;
    ctx.processingError('RECORD_PROCESSING_ERROR', 'Skipping record: GROUP BY key is null', c);
    return true;
  };
  const aggs = step.aggregates;
  const fns = aggs.map((a) => a.fn);
  const n = aggs.length;
  const keyCount = step.keyCount;
  const spec = step.window;
  const codec = internalRowCodec([...fns.map((f) => f.accumulatorType), DOUBLE, DOUBLE]);
  const store = ctx.store<Stored | null>(step.store, codec as never);
  let streamTime = -Infinity;

  // One argument array per aggregate, refilled per call: add/undo read their arguments and never
  // keep the array (none of the built-in aggregates does), so no array is allocated per record.
  const argIndexes = aggs.map((a) => a.argIndexes);
  const argBuffers = aggs.map((a) => new Array<unknown>(a.argIndexes.length));
  const argsOf = (row: unknown[], i: number): unknown[] => {
    const idx = argIndexes[i]!;
    const out = argBuffers[i]!;
    for (let j = 0; j < idx.length; j++) out[j] = row[idx[j]!] ?? null;
    return out;
  };
  /** Writes into `into[0..n)` the accumulators `from` (null: initial ones) after applying c. */
  const accumulate = (from: readonly unknown[] | null, c: Change, into: unknown[]): void => {
    try {
      for (let i = 0; i < n; i++) into[i] = from ? from[i] : fns[i]!.initial();
      if (c.old) for (let i = 0; i < n; i++) into[i] = fns[i]!.undo!(into[i], argsOf(c.old, i));
      if (c.row) for (let i = 0; i < n; i++) into[i] = fns[i]!.add(into[i], argsOf(c.row, i));
    } catch (e) {
      if (e instanceof KsqlError && e.category === 'runtime') {
        throw new KsqlError('runtime', `Exception caught in process. taskId=0_${ctx.partition}, processor=Aggregate-Aggregate: ${e.message}`, { cause: e });
      }
      throw e;
    }
  };
  /** The stored value after applying c to prev: accumulators, max timestamp, `extra`. */
  const updated = (prev: Stored | null, c: Change, extra: number): Stored => {
    const next: Stored = new Array<unknown>(n + 2);
    accumulate(prev, c, next);
    next[n] = Math.max(c.timestamp, prev ? (prev[n] as number) : -Infinity);
    next[n + 1] = extra;
    return next;
  };
  /** The output row from accumulators `accs[0..n)`. */
  const resultRow = (key: readonly unknown[], accs: readonly unknown[], ts: number, w: Window | undefined): unknown[] => {
    const row: unknown[] = [...key];
    for (let i = 0; i < n; i++) row.push(fns[i]!.result(accs[i]));
    row.push(BigInt(ts));
    if (w) row.push(BigInt(w.start), BigInt(w.end));
    return row;
  };
  const changeOf = (p: PendingUpdate): Change => {
    const c = p.input;
    const ts = p.stored[n] as number;
    return {
      row: resultRow(c.key, p.stored, ts, p.window), key: c.key,
      old: p.before ? resultRow(c.key, p.before, p.before[n] as number, p.window) : null,
      timestamp: ts, window: p.window, headers: c.headers, partition: c.partition, offset: c.offset,
    };
  };

  if (spec?.type === 'SESSION') return sessionAggregate(spec.sizeMs);

  const cache = ctx.cacheMaxBytes > 0 ? new ChangeCache<PendingUpdate>(ctx.cacheMaxBytes, changeOf, emit) : undefined;
  if (cache) ctx.onCommit(() => cache.flush());
  // The accumulators of one in-place update, computed here first: a failing add leaves the
  // stored value as it was.
  const scratch = new Array<unknown>(n);
  /** Stores the update of `ks` and emits it, or merges it into the key's pending update. */
  const update = (ks: string, c: Change, window: Window | undefined, extra: number): void => {
    const prev = store.getByKeyString(ks) ?? null;
    const pending = cache?.pending(ks);
    if (pending !== undefined && prev !== null && pending.stored === prev) {
      // The stored value was made by this pending update and is read only when the cache emits
      // it (its change is built then) or a commit takes it (after flushing the cache): update it
      // in place, instead of allocating per record an array that would outlive the young
      // generation (the store's cache holds it until the key's next update).
      accumulate(prev, c, scratch);
      for (let i = 0; i < n; i++) prev[i] = scratch[i];
      prev[n] = Math.max(c.timestamp, prev[n] as number);
      store.putByKeyString(ks, prev);
      pending.input = c;
      cache!.put(ks, pending);
      return;
    }
    const stored = updated(prev, c, extra);
    store.putByKeyString(ks, stored);
    if (!cache) {
      emit(changeOf({ input: c, stored, before: prev, window }));
      return;
    }
    if (pending) {
      pending.input = c;
      pending.stored = stored;
      cache.put(ks, pending);
    } else {
      cache.put(ks, { input: c, stored, before: prev, window });
    }
  };

  if (!spec) {
    return (c) => {
      if (c.row === null && !c.old) return;
      if (c.key.length === keyCount && nullKeySkipped(c)) return;
      update(TaskStore.keyStringOf(c.key), c, undefined, 0);
    };
  }

  return (c) => {
    if (c.row === null || nullKeySkipped(c)) return;
    streamTime = Math.max(streamTime, c.timestamp);
    for (const w of timeWindowsFor(spec, c.timestamp)) {
      if (windowClosed(spec, w, streamTime)) continue;
      update(TaskStore.keyStringOf([...c.key, w.start]), c, w, w.end);
    }
  };

  function sessionAggregate(gap: number): Emit {
    const cache = ctx.cacheMaxBytes > 0 ? new ChangeCache<Change>(ctx.cacheMaxBytes, (c) => c, emit) : undefined;
    if (cache) ctx.onCommit(() => cache.flush());
    const out = (c: Change): void => {
      if (!cache) return emit(c);
      const ks = TaskStore.keyStringOf([...c.key, c.window!.start]);
      const pending = cache.pending(ks);
      cache.put(ks, pending ? { ...c, old: pending.old } : c);
    };
    return (c) => {
      if (c.row === null || nullKeySkipped(c)) return;
      streamTime = Math.max(streamTime, c.timestamp);
      const ts = c.timestamp;
      const prefix = TaskStore.keyOf(c.key);
      const overlapping: { key: Uint8Array; start: number; end: number; value: Stored }[] = [];
      for (const e of store.prefixScan(prefix)) {
        if (!e.value) continue;
        const start = Number(TaskStore.decodeKey(e.key)[c.key.length]);
        const end = e.value[n + 1] as number;
        if (end >= ts - gap && start <= ts + gap && !windowClosed(spec!, { start, end }, streamTime)) {
          overlapping.push({ key: e.key, start, end, value: e.value });
        }
      }
      let start = ts;
      let end = ts;
      for (const o of overlapping) {
        start = Math.min(start, o.start);
        end = Math.max(end, o.end);
      }
      if (windowClosed(spec!, { start, end }, streamTime)) {
        ctx.processingError('RECORD_PROCESSING_ERROR', 'Skipping late record for a closed session window', c);
        return;
      }
      let merged: unknown[] = fns.map((f) => f.initial());
      let maxTs = ts;
      for (const o of overlapping) {
        merged = merged.map((a, i) => fns[i]!.merge(a, o.value[i]));
        maxTs = Math.max(maxTs, o.value[n] as number);
      }
      const accs = new Array<unknown>(n);
      accumulate(merged, c, accs);
      for (const o of overlapping) {
        store.delete(o.key);
        const w = { start: o.start, end: o.end };
        out({ ...c, key: c.key, row: null, window: w, timestamp: o.value[n] as number, old: resultRow(c.key, o.value, o.value[n] as number, w) });
      }
      const w = { start, end };
      store.put(TaskStore.keyOf([...c.key, start]), [...accs, maxTs, end]);
      out({ ...c, key: c.key, timestamp: maxTs, window: w, row: resultRow(c.key, accs, maxTs, w), old: null });
    };
  }
}
