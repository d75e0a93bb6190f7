// Key serdes: an unwindowed adapter over a RowSerde, and Kafka Streams' windowed key layouts
// (time windows: inner key + 8-byte start; session windows: inner key + 8-byte end + 8-byte start).

import type { WindowInfo } from './format.ts';
import { SerdeError, type KeySerde, type RowSerde, type Window } from './serde.ts';

function nullKey(serde: RowSerde): unknown[] {
  return serde.columns.map(() => null);
}

function isAllNull(key: readonly unknown[]): boolean {
  for (const v of key) if (v !== null && v !== undefined) return false;
  return true;
}

/**
 * A single-column key that is null has no bytes (ksqlDB writes a null key); a multi-column key
 * with null columns is still written (JSON `{"A":null,"B":null}`), as ksqlDB does.
 */
/** What every keyless record decodes to: shared (and frozen, so no caller can change it). */
const NO_KEY: { key: unknown[]; window: undefined } = Object.freeze({ key: Object.freeze([]) as unknown as unknown[], window: undefined });

export function createPlainKeySerde(inner: RowSerde): KeySerde {
  return {
    columns: inner.columns,
    windowed: false,
    serialize(key, _window, _topic) {
      return key.length <= 1 && isAllNull(key) ? null : inner.serialize(key, _topic);
    },
    deserialize(bytes, topic) {
      // Keyless sources ignore whatever key bytes a record carries.
      if (inner.columns.length === 0) return NO_KEY;
      const key = bytes === null ? null : inner.deserialize(bytes, topic);
      return { key: key ?? nullKey(inner), window: undefined };
    },
  };
}

/** Wraps the inner key serde in the windowed layout of `window`. */
export function createWindowedKeySerde(inner: RowSerde, window: WindowInfo): KeySerde {
  const session = window.type === 'SESSION';
  const suffix = session ? 16 : 8;
  return {
    columns: inner.columns,
    windowed: true,
    serialize(key, win, topic) {
      if (!win) throw new SerdeError(`A windowed key for topic ${topic} needs a window`);
      const innerBytes = isAllNull(key) ? null : inner.serialize(key, topic);
      const len = innerBytes?.length ?? 0;
      const out = new Uint8Array(len + suffix);
      if (innerBytes) out.set(innerBytes, 0);
      const dv = new DataView(out.buffer);
      if (session) {
        dv.setBigInt64(len, BigInt(win.end));
        dv.setBigInt64(len + 8, BigInt(win.start));
      } else {
        dv.setBigInt64(len, BigInt(win.start));
      }
      return out;
    },
    baseKey(bytes) {
      return bytes.subarray(0, Math.max(0, bytes.length - suffix));
    },
    deserialize(bytes, topic) {
      if (bytes === null) return { key: nullKey(inner), window: undefined };
      if (bytes.length < suffix) {
        throw new SerdeError(
          `Failed to deserialize key from topic: ${topic}. A ${session ? 'session' : 'time'}-windowed key needs ` +
            `at least ${suffix} bytes, got ${bytes.length}`,
        );
      }
      const len = bytes.length - suffix;
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      let w: Window;
      if (session) {
        w = { start: Number(dv.getBigInt64(len + 8)), end: Number(dv.getBigInt64(len)) };
      } else {
        const start = Number(dv.getBigInt64(len));
        // Time windows do not store their end: it is start + size, as Kafka Streams derives it.
        w = { start, end: start + (window.sizeMs ?? 0) };
      }
      return { key: readInner(inner, bytes.subarray(0, len), topic) ?? nullKey(inner), window: w };
    },
  };
}

/** Empty inner bytes stand for a null key unless the inner format reads them (KAFKA STRING ""). */
function readInner(inner: RowSerde, bytes: Uint8Array, topic: string): unknown[] | null {
  if (bytes.length > 0) return inner.deserialize(bytes, topic);
  try {
    return inner.deserialize(bytes, topic);
  } catch {
    return null;
  }
}
