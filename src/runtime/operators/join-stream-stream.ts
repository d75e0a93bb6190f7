// Stream-stream joins over a time window (WITHIN before/after), with Kafka Streams 3.x semantics:
// each side buffers its records in a window store; a record joins every buffered record of the
// other side within the window. Outer joins without GRACE PERIOD emit non-matches at once; with
// GRACE PERIOD they wait in an outer buffer until stream time closes their window.

import type { Change, Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { TaskStore } from '../task-store.ts';
import { hasNull, joinedRow, shapeOf, sideStore, unpack, windowReader, type JoinStep } from './join-rows.ts';

const DEFAULT_GRACE_MS = 24 * 3_600_000;

export function streamStreamJoin(step: JoinStep, ctx: OperatorContext, emit: Emit): { left: Emit; right: Emit } {
  const w = step.within!;
  const grace = w.graceMs ?? DEFAULT_GRACE_MS;
  // Window stores keep records for before + after + grace (Kafka's JoinWindows retention).
  const retention = w.beforeMs + w.afterMs + grace;
  const outerSide = [step.joinType === 'LEFT' || step.joinType === 'FULL', step.joinType === 'RIGHT' || step.joinType === 'FULL'];
  const shape = shapeOf(step);
  const layouts = [step.left.layout, step.right.layout];
  const stores = [sideStore(ctx, step.leftStore, step.left.layout), sideStore(ctx, step.rightStore, step.right.layout)];
  // Outer buffers (only with GRACE PERIOD): one per side, keyed by timestamp first.
  const outerStores = step.auxStore && (outerSide[0] || outerSide[1])
    ? [sideStore(ctx, step.auxStore, step.left.layout), sideStore(ctx, `${step.auxStore}-right`, step.right.layout)]
    : undefined;
  const windowOf = [windowReader(step.left.layout), windowReader(step.right.layout)];
  const sessionWindows = step.left.windowed && layouts[0]!.some((c) => c.name === 'WINDOWEND') && isSession(step);
  const observed = [-Infinity, -Infinity];
  let streamTime = -Infinity;
  let lastOffset = NaN;
  let sub = 0;

  const matchKey = (c: Change): unknown[] => {
    if (!c.window) return [...c.key];
    return sessionWindows ? [...c.key, c.window.start, c.window.end] : [...c.key, c.window.start];
  };
  const output = (c: Change, key: readonly unknown[], left: unknown[] | null, right: unknown[] | null, ts: number): void => {
    const window = (left ? windowOf[0]!(left) : undefined) ?? (right ? windowOf[1]!(right) : undefined) ?? c.window;
    emit({
      row: joinedRow(shape, key, left, right, ts), key, old: undefined, timestamp: ts, window,
      headers: c.headers, partition: c.partition, offset: c.offset,
    });
  };

  /** Emits buffered non-matches whose window (plus grace) closed; oldest first (Kafka's order). */
  const emitExpired = (c: Change): void => {
    const expired: { side: number; ts: number; seq: unknown[]; key: unknown[]; row: unknown[]; storeKey: Uint8Array }[] = [];
    for (let side = 0; side < 2; side++) {
      if (!outerSide[side]) continue;
      for (const e of outerStores![side]!.all()) {
        if (!e.value) continue;
        const k = TaskStore.decodeKey(e.key);
        const ts = Number(k[0]);
        const lookBack = side === 0 ? w.afterMs : w.beforeMs;
        if (ts + lookBack + grace >= streamTime) continue;
        expired.push({ side, ts, seq: k.slice(1, 3), key: k.slice(3), row: unpack(e.value).row, storeKey: e.key });
      }
    }
    // Kafka orders its buffer by timestamp, then side (right before left), then key.
    expired.sort((a, b) => a.ts - b.ts || b.side - a.side || cmp(a.seq, b.seq));
    for (const x of expired) {
      outerStores![x.side]!.delete(x.storeKey);
      const key = x.key.slice(0, step.keyCount);
      output(c, key, x.side === 0 ? x.row : null, x.side === 1 ? x.row : null, x.ts);
    }
  };

  const process = (side: 0 | 1) => (c: Change): void => {
    if (c.row === null || hasNull(c.key)) return;
    const other = 1 - side;
    const ts = c.timestamp;
    const jk = matchKey(c);
    if (c.offset !== lastOffset) { lastOffset = c.offset; sub = 0; } else sub++;
    const seq = [c.offset, sub];
    // The record joins its own side's window store first (Kafka's KStreamJoinWindow).
    observed[side] = Math.max(observed[side]!, ts);
    if (ts > observed[side]! - retention) stores[side]!.put(TaskStore.keyOf([...jk, ts, ...seq]), [...c.row, ts]);
    streamTime = Math.max(streamTime, ts);
    if (outerStores && ts === streamTime) emitExpired(c);

    const [before, after] = side === 0 ? [w.beforeMs, w.afterMs] : [w.afterMs, w.beforeMs];
    const from = Math.max(0, ts - before);
    const to = Math.max(0, ts + after);
    let matched = false;
    const minLive = observed[other]! - retention;
    for (const e of stores[other]!.prefixScan(TaskStore.keyOf(jk))) {
      if (!e.value) continue;
      const k = TaskStore.decodeKey(e.key);
      if (k.length !== jk.length + 3) continue;
      const otherTs = Number(k[jk.length]);
      if (otherTs <= minLive) {
        stores[other]!.delete(e.key);
        continue;
      }
      if (otherTs < from || otherTs > to) continue;
      matched = true;
      const otherRow = unpack(e.value).row;
      if (outerStores && outerSide[other]) {
        outerStores[other]!.delete(TaskStore.keyOf([otherTs, ...k.slice(jk.length + 1), ...jk]));
      }
      const outTs = Math.max(ts, otherTs);
      output(c, c.key, side === 0 ? c.row : otherRow, side === 0 ? otherRow : c.row, outTs);
    }
    if (matched || !outerSide[side]) return;
    if (!outerStores || to < streamTime) {
      output(c, c.key, side === 0 ? c.row : null, side === 0 ? null : c.row, ts);
    } else {
      outerStores[side]!.put(TaskStore.keyOf([ts, ...seq, ...jk]), [...c.row, ts]);
    }
  };
  return { left: process(0), right: process(1) };
}

function isSession(step: JoinStep): boolean {
  let s = step.left;
  while (s.kind !== 'Source') {
    if (s.kind === 'Join') s = s.left;
    else if ('input' in s) s = s.input;
    else return false;
  }
  return s.source.keyFormat.window?.type === 'SESSION';
}

function cmp(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (x !== y) return x - y;
  }
  return 0;
}
