// EMIT FINAL: keeps the newest result of each window in a store and emits it once the window
// closes (stream time >= window end + grace), as Kafka Streams' suppress(untilWindowCloses).
// A time window that stream time jumped past its retention is dropped unemitted, as in ksqlDB,
// whose final results are read from a window store that has already expired it.

import type { Step } from '../../plan/steps.ts';
import { DOUBLE } from '../../common/sql-type.ts';
import { internalRowCodec } from '../../serde/internal-codec.ts';
import type { Change, Emit } from '../change.ts';
import type { OperatorContext } from '../operator-context.ts';
import { TaskStore } from '../task-store.ts';
import { windowExpired, windowFinal } from '../windows.ts';

export function suppressOperator(step: Step & { kind: 'Suppress' }, ctx: OperatorContext, emit: Emit): Emit {
  const types = [...step.layout.map((c) => c.type), DOUBLE, DOUBLE, DOUBLE];
  const store = ctx.store<unknown[] | null>(step.store, internalRowCodec(types) as never);
  const width = step.layout.length;
  let streamTime = -Infinity;
  return (c: Change) => {
    streamTime = Math.max(streamTime, c.timestamp);
    if (c.window) {
      const k = TaskStore.keyOf([c.window.end, ...c.key, c.window.start]);
      if (c.row === null) store.delete(k);
      else store.put(k, [...c.row, c.timestamp, c.window.start, c.window.end]);
    }
    for (const e of store.all()) {
      const v = e.value!;
      const w = { start: v[width + 1] as number, end: v[width + 2] as number };
      if (!windowFinal(step.window, w, streamTime)) break; // keys are ordered by window end
      store.delete(e.key);
      if (windowExpired(step.window, w, streamTime)) continue;
      const row = v.slice(0, width);
      emit({ ...c, row, key: row.slice(0, step.keyCount), old: undefined, window: w, timestamp: v[width] as number, headers: [] });
    }
  };
}
