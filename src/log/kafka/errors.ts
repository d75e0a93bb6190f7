// Turns @platformatic/kafka's nested errors into messages a user can act on: which bootstrap servers
// could not be reached, which topic does not exist, which transactional id was fenced.
import { findErrorBy } from '@platformatic/kafka';

export function missingTopic(topic: string): Error {
  return new Error(`Topic ${topic} does not exist`);
}

export function hasApiError(error: unknown, apiId: string): boolean {
  return findErrorBy(error as Error, 'apiId', apiId) !== null;
}

export function isNetworkError(error: unknown): boolean {
  return findErrorBy(error as Error, 'code', 'PLT_KFK_NETWORK') !== null || findErrorBy(error as Error, 'code', 'PLT_KFK_TIMEOUT') !== null;
}

export function isFencedError(error: unknown): boolean {
  return (
    findErrorBy(error as Error, 'producerFenced', true) !== null ||
    hasApiError(error, 'PRODUCER_FENCED') ||
    hasApiError(error, 'INVALID_PRODUCER_EPOCH') ||
    hasApiError(error, 'TRANSACTIONAL_ID_NOT_FOUND')
  );
}

export function fencedError(transactionalId: string, cause?: unknown): Error {
  return new Error(`Transaction ${transactionalId} was fenced by a newer transaction with the same id`, { cause });
}

/** The innermost message chain, for appending to our own message. */
function detail(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return detail(error.errors.at(-1));
  return error instanceof Error ? error.message : String(error);
}

/** The topic named by the client's "Unknown topic X." error anywhere in the chain, if any. */
export function unknownTopicIn(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 5) return undefined;
  const m = /^Unknown topic (.+)\.$/.exec(error.message);
  if (m) return m[1];
  const nested = [...(error instanceof AggregateError ? error.errors : []), error.cause];
  for (const e of nested) {
    const found = unknownTopicIn(e, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function asLogError(error: unknown, bootstrap: readonly string[], topic?: string): Error {
  const unknown = unknownTopicIn(error);
  if (unknown !== undefined && unknown !== 'unknown') return missingTopic(unknown);
  if (topic !== undefined && hasApiError(error, 'UNKNOWN_TOPIC_OR_PARTITION')) return missingTopic(topic);
  if (hasApiError(error, 'UNKNOWN_TOPIC_ID') && topic !== undefined) return missingTopic(topic);
  if (isNetworkError(error)) {
    return new Error(`Cannot reach Kafka at bootstrap servers ${bootstrap.join(',')}: ${detail(error)}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Whether a failure of a Log call is about Kafka being (temporarily) unavailable rather than about
 * the data: network errors, retriable broker errors, timeouts waiting for leaders or visibility, a
 * fenced or aborted transaction. A query hit by one should rebuild its tasks and retry, not fail.
 */
export function isTransientLogError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (isNetworkError(error) || isFencedError(error)) return true;
  if (TRANSIENT_API_ERRORS.some((id) => hasApiError(error, id))) return true;
  return /^(Cannot reach Kafka at |timed out waiting for |Transaction .* was fenced|Kafka broker -?\d+ is not in the cluster metadata|no coordinator for )/.test(error.message);
}

const TRANSIENT_API_ERRORS = [
  'NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS', 'UNSTABLE_OFFSET_COMMIT', 'REQUEST_TIMED_OUT',
  'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'KAFKA_STORAGE_ERROR', 'CONCURRENT_TRANSACTIONS',
  'OFFSET_NOT_AVAILABLE', 'REBALANCE_IN_PROGRESS', 'INVALID_TXN_STATE', 'TRANSACTION_ABORTABLE', 'INVALID_PRODUCER_ID_MAPPING',
  'BROKER_NOT_AVAILABLE', 'NETWORK_EXCEPTION',
];
