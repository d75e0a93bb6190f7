// One fresh in-process engine per case: temp data dir, ksqlDB's test base config, the topic union
// of §1.5, input production with the test serdes, and clean shutdown. Shared by both executors.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineApi, SourceInfo } from '../engine/engine-api.ts';
import type { FunctionSet } from '../functions/function-registry.ts';
import type { Log } from '../log/log.ts';
import { partitionForKey } from '../runtime/partitioner.ts';
import { AppendOrder } from './append-order.ts';
import type { RecordSpec, TestCase } from './model.ts';
import { plainCreateSource } from './sql-scan.ts';
import { TEST_FUNCTIONS } from './test-functions.ts';
import { DEFAULT_FORMATS, encodeKey, encodeValue, type TopicFormats } from './test-serde.ts';

export type OpenEngine = (options: {
  dataDir: string;
  scheduling: 'manual' | 'background';
  properties?: Record<string, string>;
  log?: Log;
  /** ksqlDB's test-only functions (test-functions.ts), never registered by the server. */
  extraFunctions?: FunctionSet;
}) => Promise<EngineApi>;

/** Gives each case its own log (e.g. a prefixed view of a shared Kafka); undefined = embedded. */
let logFactory: (() => Promise<Log>) | undefined;
export function setLogFactory(fn: (() => Promise<Log>) | undefined): void {
  logFactory = fn;
}

/** Imported lazily so the runner (and its unit tests) load even before the engine exists. */
let openEngineFn: Promise<OpenEngine> | undefined;
export function loadOpenEngine(): Promise<OpenEngine> {
  const specifier = '../engine/engine.ts';
  openEngineFn ??= (import(specifier) as Promise<{ openEngine: OpenEngine }>).then((m) => m.openEngine);
  return openEngineFn;
}

/** Lets tests run the executors against a stand-in engine. */
export function setOpenEngine(fn: OpenEngine | undefined): void {
  openEngineFn = fn && Promise.resolve(fn);
}

/** TestExecutor BASE_CONFIG (QTT) and the REST test app's settings (RQTT). */
export const QTT_BASE_CONFIG: Readonly<Record<string, string>> = {
  'auto.offset.reset': 'earliest',
  'ksql.streams.auto.offset.reset': 'earliest',
  'cache.max.bytes.buffering': '0',
  'ksql.streams.cache.max.bytes.buffering': '0',
  'ksql.service.id': 'some.ksql.service.id',
  'ksql.headers.columns.enabled': 'true',
};
export const RQTT_BASE_CONFIG: Readonly<Record<string, string>> = {
  ...QTT_BASE_CONFIG,
  'ksql.query.pull.table.scan.enabled': 'true',
  'ksql.query.pull.range.scan.enabled': 'true',
  'ksql.query.pull.interpreter.enabled': 'true',
  'ksql.query.push.v2.enabled': 'true',
  'ksql.query.push.v2.registry.installed': 'true',
};

export class EngineHost {
  readonly engine: EngineApi;
  readonly order: AppendOrder;
  private readonly dataDir: string;

  private constructor(engine: EngineApi, order: AppendOrder, dataDir: string) {
    this.engine = engine;
    this.order = order;
    this.dataDir = dataDir;
  }

  static async open(base: Readonly<Record<string, string>>, tc: TestCase): Promise<EngineHost> {
    const openEngine = await loadOpenEngine();
    const dataDir = mkdtempSync(join(tmpdir(), 'riffle-conformance-'));
    try {
      const log = logFactory ? await logFactory() : undefined;
      const engine = await openEngine({ dataDir, scheduling: 'manual', properties: { ...base, ...tc.properties }, extraFunctions: TEST_FUNCTIONS, ...(log ? { log } : {}) });
      const order = new AppendOrder();
      order.attach(engine.log);
      return new EngineHost(engine, order, dataDir);
    } catch (e) {
      rmSync(dataDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Creates the union of topics ksqlDB's test framework pre-creates (TestCaseBuilderUtil.getAllTopics). */
  async createTopics(tc: TestCase): Promise<void> {
    const all = new Map<string, number>();
    for (const t of tc.topics) if (t.name) all.set(t.name, t.partitions ?? 1);
    for (const s of tc.statements) {
      const c = plainCreateSource(s);
      if (c && !all.has(c.topic)) all.set(c.topic, c.partitions ?? 4);
    }
    for (const r of [...tc.inputs, ...tc.outputs]) if (!all.has(r.topic)) all.set(r.topic, 4);
    for (const [name, partitions] of all) {
      if (!(await this.engine.log.describeTopic(name))) await this.engine.log.createTopic(name, { partitions });
    }
  }

  /** The formats the test serdes use for a topic: from the source over it, else `topics`, else defaults. */
  formatsOf(tc: TestCase, topic: string): TopicFormats {
    const source = this.engine.sources().find((s) => s.topic === topic);
    if (source) return sourceFormats(source);
    const t = tc.topics.find((x) => x.name === topic);
    const keyDefault = tc.properties['ksql.persistence.default.format.key']?.toUpperCase() ?? 'KAFKA';
    return {
      ...DEFAULT_FORMATS,
      keyFormat: t?.keyFormat ?? keyDefault,
      valueFormat: t?.valueFormat ?? tc.properties['ksql.persistence.default.format.value']?.toUpperCase() ?? 'JSON',
    };
  }

  /**
   * Produces records in file order, timestamp defaulting to 0. QTT pipes every record into
   * partition 0 (TopologyTestDriver); RQTT produces through a Kafka producer, whose default
   * partitioner places a keyed record by the murmur2 hash of its key bytes (`partitioner:
   * 'key-hash'`; records without a key still go to partition 0).
   */
  async produce(tc: TestCase, records: readonly RecordSpec[], partitioner: 'zero' | 'key-hash' = 'zero'): Promise<void> {
    const partitionCounts = new Map<string, number>();
    for (const r of records) {
      const f = this.formatsOf(tc, r.topic);
      const key = encodeKey(r.key, r.window, f);
      let partitions = 1;
      if (partitioner === 'key-hash' && key !== null) {
        partitions = partitionCounts.get(r.topic) ?? (await this.engine.log.describeTopic(r.topic))?.partitions ?? 1;
        partitionCounts.set(r.topic, partitions);
      }
      await this.engine.produce(r.topic, [{
        partition: key === null || partitions === 1 ? 0 : partitionForKey(key, partitions),
        timestamp: r.timestamp ?? 0,
        key,
        value: encodeValue(r.value, f),
        headers: r.headers ?? [],
      }]);
    }
  }

  /** Closes the engine (bounded: a hung close must not hang the run) and removes its data. */
  async close(): Promise<void> {
    await Promise.race([this.engine.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export function sourceFormats(s: SourceInfo): TopicFormats {
  const w = s.keyFormat.window;
  return {
    keyFormat: s.keyFormat.info.format,
    valueFormat: s.valueFormat.info.format,
    keyColumns: s.schema.key,
    valueColumns: s.schema.value.filter((c) => c.namespace === 'VALUE'),
    window: w && { type: w.type === 'SESSION' ? 'SESSION' : 'TIME', sizeMs: w.sizeMs },
  };
}
