// Transient queries: pull queries (answered from a table's materialized store, or a bounded scan
// of a stream) and push queries (EMIT CHANGES, streamed until LIMIT or close).

import { randomUUID } from 'node:crypto';
import { statementError } from '../common/errors.ts';
import { planQuery, type PlannedQuery } from '../analyzer/query-planner.ts';
import type { Step } from '../plan/steps.ts';
import type { Query } from '../sql/ast.ts';
import { Task } from '../runtime/task.ts';
import { splitTopology } from '../runtime/topology.ts';
import { memoryStoreFactory } from '../state/memory-store.ts';
import type { Change } from '../runtime/change.ts';
import type { QueryColumn, QueryHandle, Session } from './engine-api.ts';
import type { ExecutorHost } from './statement-executor.ts';
import { RowQueue } from './row-queue.ts';
import { pullFromTable, validatePullQuery } from './pull-query.ts';

let transientCounter = 0;

export async function runTransientQuery(host: ExecutorHost, session: Session, query: Query, text: string): Promise<QueryHandle> {
  if (query.from.kind !== 'AliasedSource' && query.emit === undefined) {
    throw statementError('Pull queries don\'t support JOIN clauses.', text);
  }
  const sourceName = query.from.kind === 'AliasedSource' ? query.from.name : undefined;
  const src = sourceName ? host.catalog.source(sourceName) : undefined;
  if (sourceName && !src) throw statementError(`${sourceName} does not exist.`, text);
  const isPull = query.emit === undefined;
  const queryId = isPull ? `query_${Date.now()}`
    : isScalablePush(host, session, query) ? `SCALABLE_PUSH_QUERY_${randomUUID()}`
    : `transient_${sourceName ?? 'JOIN'}_${Math.floor(Math.random() * 1e15)}${transientCounter++}`;
  if (isPull) validatePullQuery(host, session, query, text);
  const plan = planQuery(query, {
    source: (n) => host.catalog.source(n), functions: host.functions, types: (t) => host.catalog.type(t),
    queryId, internalTopicPrefix: `_confluent-ksql-${host.serviceId}transient_${queryId}-`, persistent: false, sinkName: undefined,
  });
  const columns = outputColumns(plan, isPull);
  if (isPull && src?.type === 'TABLE') return pullFromTable(host, plan, query, columns, queryId, text, session);
  return runStreaming(host, session, plan, query, columns, queryId, isPull, queryId.startsWith('SCALABLE_PUSH_QUERY_'));
}

/**
 * ksqlDB runs simple push queries over the output of a persistent query as "scalable push
 * queries" when `ksql.query.push.v2.enabled` is set and they read from the latest offset.
 */
function isScalablePush(host: ExecutorHost, session: Session, query: Query): boolean {
  if (host.property(session, 'ksql.query.push.v2.enabled') !== 'true') return false;
  const reset = host.property(session, 'ksql.streams.auto.offset.reset') ?? host.property(session, 'auto.offset.reset');
  if (reset === 'earliest') return false;
  if (query.from.kind !== 'AliasedSource' || query.groupBy || query.partitionBy || query.window) return false;
  const name = query.from.name;
  return host.catalog.queries().some((q) => q.sinks.includes(name));
}

function outputColumns(plan: PlannedQuery, isPull: boolean): QueryColumn[] {
  const root = plan.root;
  const exprs = root.kind === 'Project' ? root.exprs : [];
  const sourceKeyCount = findSource(root)?.keyCount ?? 0;
  return root.layout.map((c, i) => {
    const e = exprs[i];
    const isWindowBound = e?.kind === 'Column' && (e.name === 'WINDOWSTART' || e.name === 'WINDOWEND') && findSource(root)?.windowed;
    const isKey = isPull && findSource(root)?.isTable === true && e !== undefined && e.kind === 'Column' && (e.index < sourceKeyCount || Boolean(isWindowBound)) && root.kind === 'Project' && !hasAggregate(root);
    return { name: c.name, type: c.type, isKey };
  });
}

function sourceKeyPositions(root: Step): number[] {
  if (root.kind !== 'Project') return [];
  const keyCount = findSource(root)?.keyCount ?? 0;
  const out: number[] = [];
  root.exprs.forEach((e, i) => {
    if (e.kind === 'Column' && e.index < keyCount) out.push(i);
  });
  return out;
}

function hasAggregate(step: Step): boolean {
  if (step.kind === 'Aggregate') return true;
  if ('input' in step) return hasAggregate(step.input);
  return false;
}

function findSource(step: Step): (Step & { kind: 'Source' }) | undefined {
  if (step.kind === 'Source') return step;
  if ('input' in step) return findSource(step.input);
  return undefined;
}

/** Push queries, and pull queries on streams (a bounded scan up to the end at query start). */
/** `scalable`: ksqlDB's scalable push queries skip records without a key (its tests pin this down). */
async function runStreaming(host: ExecutorHost, session: Session, plan: PlannedQuery, query: Query, columns: QueryColumn[], queryId: string, bounded: boolean, scalable: boolean): Promise<QueryHandle> {
  const subs = splitTopology({ kind: 'Output', step: plan.root }, false);
  const sub = subs[subs.length - 1]!;
  const inputs: { topic: string; partition: number; repartition: boolean }[] = [];
  const ends = new Map<string, number>();
  for (const topic of sub.inputTopics) {
    const d = await host.log.describeTopic(topic);
    for (let p = 0; p < (d?.partitions ?? 1); p++) {
      inputs.push({ topic, partition: p, repartition: false });
      if (bounded) ends.set(`${topic}:${p}`, await host.log.endOffset(topic, p));
    }
  }
  // Output positions of the source's key columns (when projected), for the null-key rule above.
  const keyColumns = scalable ? sourceKeyPositions(plan.root) : [];
  const queue = new RowQueue(10_000);
  let emitted = 0;
  let reason: 'Limit Reached' | 'Query Completed' | 'Closed' | undefined;
  const limit = query.limit;
  const output = (c: Change): void => {
    if (reason) return;
    if (keyColumns.length > 0 && c.row !== null && keyColumns.every((i) => c.row![i] === null)) return;
    if (c.row === null) {
      if (!plan.isTable) return;
      queue.push({ values: c.key.length === columns.length ? [...c.key] : columns.map(() => null), tombstone: true });
    } else {
      queue.push({ values: c.row });
    }
    emitted++;
    if (limit !== undefined && emitted >= limit) {
      reason = 'Limit Reached';
      queue.end();
    }
  };
  if (limit === 0) {
    reason = 'Limit Reached';
    queue.end();
  }
  const reset = host.property(session, 'ksql.streams.auto.offset.reset') ?? host.property(session, 'auto.offset.reset');
  const task = new Task({
    id: '0_0', queryId, sub, partition: 0, inputs, log: host.log, stores: memoryStoreFactory(), group: undefined,
    changelogTopic: undefined, partitionsOf: () => 1, sequenceOf: (t, p, o) => host.sequenceOf(t, p, o),
    processingError: (e) => host.recordProcessingError(e), repartition: false, output,
    startFrom: bounded || reset === 'earliest' ? 'earliest' : 'latest',
  });
  await task.init();
  let stopped = false;
  const loop = (async () => {
    try {
      while (!stopped && !reason) {
        const n = await task.process(500);
        if (bounded) {
          let done = true;
          for (const inp of inputs) {
            const end = ends.get(`${inp.topic}:${inp.partition}`) ?? 0;
            if (end > 0 && !(await positionReached(task, host, inp.topic, inp.partition, end))) done = false;
          }
          if (done || n === 0) {
            reason ??= 'Query Completed';
            queue.end();
            return;
          }
        } else if (n === 0) {
          await task.waitForInput(200);
        }
        if (queue.full()) {
          queue.fail(new Error('The client is not reading the results fast enough; the query was stopped.'));
          return;
        }
      }
    } catch (e) {
      queue.fail(e as Error);
    } finally {
      await task.close();
    }
  })();
  void loop;
  return {
    // ksqlDB answers a pull query on a stream as a bounded push query (it ends with a final message).
    queryId, kind: 'push', columns,
    rows: queue.iterate(),
    endReason: () => reason,
    close: () => {
      stopped = true;
      reason ??= 'Closed';
      queue.end();
    },
  };
}

async function positionReached(task: Task, _host: ExecutorHost, _topic: string, _partition: number, _end: number): Promise<boolean> {
  return task.caughtUp();
}
