// Which time windows a record falls into, and when a window closes (stream time past end + grace).

import type { WindowSpec } from '../plan/steps.ts';
import type { Window } from '../serde/serde.ts';

/** Tumbling and hopping windows containing `ts` (start inclusive, end exclusive), oldest first. */
export function timeWindowsFor(spec: WindowSpec, ts: number): Window[] {
  const out: Window[] = [];
  const lastStart = ts - (((ts % spec.advanceMs) + spec.advanceMs) % spec.advanceMs);
  for (let start = lastStart; start > ts - spec.sizeMs; start -= spec.advanceMs) {
    if (start < 0) break;
    out.unshift({ start, end: start + spec.sizeMs });
  }
  return out;
}

/**
 * Kafka Streams' rule: a record for a time window is late once stream time reaches the window's
 * end plus grace; a session (whose end is its last record, inclusive) once stream time passes its
 * end plus the inactivity gap plus grace. Such a session has also left the session store, so a
 * new record does not merge with it.
 */
export function windowClosed(spec: WindowSpec, window: Window, streamTime: number): boolean {
  if (spec.type === 'SESSION') return streamTime > window.end + spec.sizeMs + spec.graceMs;
  return streamTime >= window.end + spec.graceMs;
}

/** EMIT FINAL releases a window's result once stream time reaches its end plus grace. */
export function windowFinal(spec: WindowSpec, window: Window, streamTime: number): boolean {
  return streamTime >= window.end + spec.graceMs;
}

/**
 * A time window is gone from the aggregate's window store once stream time is past its start
 * plus the store's retention (at least size + grace, or the WINDOW's RETENTION). Sessions are
 * kept until emitted.
 */
export function windowExpired(spec: WindowSpec, window: Window, streamTime: number): boolean {
  if (spec.type === 'SESSION') return false;
  const retention = Math.max(spec.retentionMs ?? 0, spec.sizeMs + spec.graceMs);
  return streamTime > window.start + retention;
}
