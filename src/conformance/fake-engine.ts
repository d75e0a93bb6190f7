// A stand-in EngineApi for the runner's own tests: an in-memory Log and a scripted "SQL" layer
// (sources registered by name, a pass-through query from one topic to another, scripted errors).
// It lets the executors be tested before, and independently of, the real engine.

import { KsqlError } from '../common/errors.ts';
import type { Column } from '../catalog/schema.ts';
import type { EngineApi, PersistentQueryInfo, QueryColumn, QueryHandle, SourceInfo, StatementOutcome } from '../engine/engine-api.ts';
import type { Log, LogRecord, ProduceRecord } from '../log/log.ts';
import type { OpenEngine } from './engine-host.ts';

class MemoryLog {
  readonly kind = 'memory';
  readonly topics = new Map<string, LogRecord[][]>();
  createTopic(name: string, config: { partitions: number }): Promise<void> {
    this.topics.set(name, Array.from({ length: config.partitions }, () => []));
    return Promise.resolve();
  }
  describeTopic(name: string): Promise<{ name: string; partitions: number; replicas: number; cleanupPolicy: 'delete' } | undefined> {
    const t = this.topics.get(name);
    return Promise.resolve(t && { name, partitions: t.length, replicas: 1, cleanupPolicy: 'delete' });
  }
  listTopics(): Promise<{ name: string; partitions: number; replicas: number; cleanupPolicy: 'delete' }[]> {
    return Promise.resolve([...this.topics].map(([name, p]) => ({ name, partitions: p.length, replicas: 1, cleanupPolicy: 'delete' as const })));
  }
  append(topic: string, records: readonly ProduceRecord[]): Promise<number[]> {
    const parts = this.topics.get(topic);
    if (!parts) return Promise.reject(new Error(`no topic ${topic}`));
    return Promise.resolve(records.map((r) => {
      const p = parts[r.partition]!;
      p.push({ offset: p.length, timestamp: r.timestamp ?? 0, key: r.key, value: r.value, headers: r.headers ?? [] });
      return p.length - 1;
    }));
  }
  read(topic: string, partition: number, from: number, max: number): Promise<LogRecord[]> {
    return Promise.resolve((this.topics.get(topic)?.[partition] ?? []).slice(from, from + max));
  }
  endOffset(topic: string, partition: number): Promise<number> {
    return Promise.resolve(this.topics.get(topic)?.[partition]?.length ?? 0);
  }
  startOffset(): Promise<number> {
    return Promise.resolve(0);
  }
}

export interface FakeScript {
  /** Statement text (substring) -> what happens. */
  readonly statements: readonly {
    readonly match: string;
    readonly source?: Omit<SourceInfo, 'statement' | 'partitions' | 'replicas' | 'timestampColumn' | 'timestampFormat' | 'isSource'>;
    /** Copies every record of `from` to `to`, spreading over partitions by key bytes. */
    readonly passThrough?: { readonly from: string; readonly to: string };
    readonly error?: KsqlError;
  }[];
  /** SELECT text (substring) -> the rows it answers with. */
  readonly queries?: readonly {
    readonly match: string;
    readonly kind: 'pull' | 'push';
    readonly columns: readonly QueryColumn[];
    readonly rows: readonly (readonly unknown[])[];
    readonly endReason?: 'Limit Reached' | 'Query Completed';
    readonly error?: KsqlError;
  }[];
}

export function fakeOpenEngine(script: FakeScript): OpenEngine {
  return () => {
    const log = new MemoryLog();
    const sources: SourceInfo[] = [];
    const pipes: { from: string; to: string; done: number }[] = [];
    const engine: Partial<EngineApi> = {
      log: log as unknown as Log,
      newSession: () => ({ properties: new Map(), variables: new Map() }),
      execute: (_session, sql): Promise<StatementOutcome[]> => {
        // A script may hold several statements: apply every step it mentions, errors first.
        const steps = script.statements.filter((s) => sql.includes(s.match));
        if (steps.length === 0) return Promise.reject({ error: new KsqlError('parse', `cannot parse ${sql}`), completed: [] });
        const failing = steps.find((s) => s.error);
        if (failing) return Promise.reject({ error: failing.error, completed: [] });
        for (const step of steps) {
          if (step.source) {
            sources.push({ ...step.source, statement: sql, partitions: 1, replicas: 1, timestampColumn: undefined, timestampFormat: undefined, isSource: false });
          }
          if (step.passThrough) {
            pipes.push({ ...step.passThrough, done: 0 });
            // Like a CSAS, the query creates its sink topic.
            if (!log.topics.has(step.passThrough.to)) void log.createTopic(step.passThrough.to, { partitions: 4 });
          }
        }
        return Promise.resolve([{ kind: 'CommandStatus', statement: sql, commandId: 'c', message: 'ok', queryId: undefined }]);
      },
      query: (_session, sql): Promise<QueryHandle> => {
        const q = script.queries?.find((x) => sql.includes(x.match));
        if (!q) return Promise.reject(new KsqlError('statement', `unknown query ${sql}`));
        if (q.error) return Promise.reject(q.error);
        const rows = q.rows;
        return Promise.resolve({
          queryId: 'transient_1', kind: q.kind, columns: q.columns,
          rows: (async function* () {
            for (const values of rows) yield { values };
            // A push query without an end reason never completes: it just stays silent.
            if (!q.endReason && q.kind === 'push') await new Promise(() => undefined);
          })(),
          endReason: () => q.endReason,
          close: () => undefined,
        });
      },
      produce: async (topic, records) => {
        await log.append(topic, records.map((r) => ({ ...r, partition: r.partition ?? 0 })));
      },
      sources: () => sources,
      source: (name) => sources.find((s) => s.name === name),
      persistentQueries: (): PersistentQueryInfo[] => [],
      runUntilIdle: async () => {
        for (const p of pipes) {
          const input = log.topics.get(p.from)![0]!.slice(p.done);
          p.done += input.length;
          const parts = log.topics.get(p.to)!.length;
          for (const r of input) {
            const partition = r.key ? r.key.reduce((a, b) => a + b, 0) % parts : 0;
            // Goes through engine.log so the runner's append-order tracking sees it.
            await engine.log!.append(p.to, [{ partition, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers }]);
          }
        }
      },
      close: () => Promise.resolve(),
    };
    return Promise.resolve(engine as EngineApi);
  };
}

export function column(name: string, type: Column['type'], namespace: Column['namespace'] = 'VALUE'): Column {
  return { name, type, namespace };
}
