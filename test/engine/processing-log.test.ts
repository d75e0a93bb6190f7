// The processing log as ksqlDB users know it: with the topic and stream auto-created, every bad
// record becomes a JSON entry on `<service id>ksql_processing_log`, readable with SQL through the
// KSQL_PROCESSING_LOG stream; without them, entries stay in memory only and no stream appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../../src/engine/engine.ts';
import type { EngineApi } from '../../src/engine/engine-api.ts';

const SOURCE = `CREATE STREAM s (id INT KEY, name VARCHAR, n INT)
  WITH (KAFKA_TOPIC='s', PARTITIONS=1, KEY_FORMAT='JSON', VALUE_FORMAT='JSON');`;

async function withEngine(properties: Record<string, string>, body: (engine: EngineApi, dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-processing-log-'));
  try {
    const engine = await openEngine({ dataDir, scheduling: 'manual', properties: { 'ksql.streams.auto.offset.reset': 'earliest', ...properties } });
    try {
      await body(engine, dataDir);
    } finally {
      await engine.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const AUTO = {
  'ksql.logging.processing.topic.auto.create': 'true',
  'ksql.logging.processing.stream.auto.create': 'true',
};

const sourceNames = (engine: EngineApi): string[] => engine.sources().map((s) => s.name).sort();

void test('bad records become KSQL_PROCESSING_LOG rows, queryable with SQL', async () => {
  await withEngine(AUTO, async (engine) => {
    assert.deepEqual(sourceNames(engine), ['KSQL_PROCESSING_LOG']);
    const session = engine.newSession();
    await engine.execute(session, SOURCE);
    await engine.execute(session, 'CREATE STREAM copy AS SELECT * FROM s;');
    await engine.execute(session, `CREATE STREAM errors AS SELECT LOGGER, LEVEL, MESSAGE->TYPE AS T,
      MESSAGE->DESERIALIZATIONERROR->TARGET AS TARGET,
      MESSAGE->DESERIALIZATIONERROR->ERRORMESSAGE AS MSG,
      MESSAGE->DESERIALIZATIONERROR->\`topic\` AS SOURCE_TOPIC
      FROM KSQL_PROCESSING_LOG;`);
    await engine.produce('s', [
      { key: Buffer.from('1'), value: Buffer.from('{"NAME":"a","N":1}') },
      { key: Buffer.from('2'), value: Buffer.from('{"NAME":"b",') },
      { key: Buffer.from('3'), value: Buffer.from('{"NAME":"c","N":3}') },
    ]);
    await engine.runUntilIdle();

    assert.equal((await engine.readTopic('COPY')).length, 2, 'good records flow on');
    const rows = (await engine.readTopic('ERRORS')).map((r) => r.value);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const [logger, level, type, target, message, topic] = rows[0]!;
    assert.equal(logger, 'processing.CSAS_COPY_0.KsqlTopic.Source.deserializer');
    assert.equal(level, 'ERROR');
    assert.equal(type, 0);
    assert.equal(target, 'value');
    assert.match(String(message), /^Failed to deserialize value from topic: s\./);
    assert.equal(topic, 's');
    assert.equal(engine.processingLog().length, 1, 'the in-memory log has the same entry');
  });
});

void test('the processing-log stream survives a restart and is not declared twice', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-processing-log-'));
  try {
    for (let start = 0; start < 2; start++) {
      const engine = await openEngine({ dataDir, scheduling: 'manual', properties: AUTO });
      try {
        assert.deepEqual(sourceNames(engine), ['KSQL_PROCESSING_LOG'], `start ${start}`);
        assert.equal(engine.sources()[0]!.topic, 'default_ksql_processing_log');
      } finally {
        await engine.close();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

void test('off by default, as in ksqlDB: entries stay in memory and no topic or stream is made', async () => {
  await withEngine({}, async (engine) => {
    const session = engine.newSession();
    await engine.execute(session, SOURCE);
    await engine.execute(session, 'CREATE STREAM copy AS SELECT * FROM s;');
    await engine.produce('s', [{ key: Buffer.from('1'), value: Buffer.from('not json') }]);
    await engine.runUntilIdle();
    assert.equal(engine.processingLog().length, 1);
    assert.deepEqual(sourceNames(engine), ['COPY', 'S']);
    assert.equal(await engine.log.describeTopic('default_ksql_processing_log'), undefined);
  });
});
