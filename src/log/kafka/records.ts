// Converts between the Log's records and Kafka's wire records: ProduceRecord -> producer message, and
// fetched record batches -> LogRecord[] with read_committed filtering (control markers and records
// of aborted transactions never reach readers).
import type { fetchV17, KafkaRecord, MessageToProduce, RecordsBatch } from '@platformatic/kafka';
import type { Header, LogRecord, ProduceRecord } from '../log.ts';

const IS_TRANSACTIONAL = 0x10;
const IS_CONTROL = 0x20;
const LOG_APPEND_TIME = 0x08;

/** A view, not a copy; records read from Kafka are Buffers already and pass through as they are. */
const toBuffer = (bytes: Uint8Array | null): Buffer | undefined =>
  bytes === null ? undefined : Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Shared by every record read without headers (most of them): one allocation less per record. */
const NO_HEADERS: readonly Header[] = Object.freeze([]);

export function toMessage(topic: string, record: ProduceRecord, now: bigint): MessageToProduce {
  // A Map keyed by distinct Buffer objects keeps repeated header names (Kafka allows them); no
  // headers at all is written as an empty header list.
  let headers: Map<Buffer, Buffer> | undefined;
  if (record.headers && record.headers.length > 0) {
    headers = new Map<Buffer, Buffer>();
    for (const h of record.headers) headers.set(Buffer.from(h.key, 'utf8'), toBuffer(h.value) as Buffer);
  }
  return {
    topic,
    partition: record.partition,
    // undefined key/value is encoded as null (length -1): a null key, a tombstone.
    key: toBuffer(record.key),
    value: toBuffer(record.value),
    headers,
    timestamp: record.timestamp === undefined ? now : BigInt(record.timestamp),
  };
}

function toLogRecord(batch: RecordsBatch, record: KafkaRecord): LogRecord {
  const timestamp = batch.attributes & LOG_APPEND_TIME ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta;
  const headers = record.headers.length === 0 ? NO_HEADERS : record.headers.map(([k, v]) => ({ key: k ? k.toString('utf8') : '', value: v }));
  return {
    offset: Number(batch.firstOffset) + record.offsetDelta,
    timestamp: Number(timestamp),
    key: record.key,
    value: record.value,
    headers,
  };
}

export interface DecodedFetch {
  readonly records: LogRecord[];
  /** The offset after the last batch seen (data or control), where the next fetch continues. */
  readonly nextOffset: number;
}

/**
 * Keeps the committed data records at or after `from`, at most `max`. `aborted` is the broker's list
 * of aborted transactions overlapping the fetched range (producer id + first offset): a batch of such
 * a producer is skipped from that offset until the producer's abort marker.
 */
export function decodeBatches(
  batches: readonly RecordsBatch[],
  aborted: readonly fetchV17.FetchResponsePartitionAbortedTransaction[] | null,
  from: number,
  max: number,
): DecodedFetch {
  const pending = [...(aborted ?? [])].sort((a, b) => Number(a.firstOffset - b.firstOffset));
  const abortedProducers = new Set<bigint>();
  const records: LogRecord[] = [];
  let nextOffset = from;
  for (const batch of batches) {
    const base = Number(batch.firstOffset);
    while (pending.length > 0 && Number(pending[0]!.firstOffset) <= base + batch.lastOffsetDelta) {
      abortedProducers.add(pending.shift()!.producerId);
    }
    if (batch.attributes & IS_CONTROL) {
      // Control record key: version (int16), type (int16: 0 = abort, 1 = commit).
      const key = batch.records[0]?.key;
      if (key && key.length >= 4 && key.readInt16BE(2) === 0) abortedProducers.delete(batch.producerId);
    } else if (!(batch.attributes & IS_TRANSACTIONAL && abortedProducers.has(batch.producerId))) {
      for (const record of batch.records) {
        if (base + record.offsetDelta < from) continue;
        if (records.length >= max) return { records, nextOffset: base + record.offsetDelta };
        records.push(toLogRecord(batch, record));
      }
    }
    nextOffset = Math.max(nextOffset, base + batch.lastOffsetDelta + 1);
  }
  return { records, nextOffset };
}
