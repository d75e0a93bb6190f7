// End to end over both protocols: /info, /healthcheck, /clusterStatus, /status, /is_valid_property,
// /ksql (entities and every error path), Accept negotiation and unknown paths.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postJson, PROTOCOLS, request, startTestServer, type TestServer } from './helpers.ts';

describe('introspection and /ksql', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    const r = await postJson('http1', t.port, '/ksql', {
      ksql: "CREATE STREAM PAGEVIEWS (K STRING KEY, ID INT, NAME STRING) WITH (kafka_topic='pageviews', value_format='JSON', partitions=1);",
    });
    assert.equal(r.status, 200, r.body);
  });
  after(() => t?.close());

  for (const p of PROTOCOLS) {
    describe(p, () => {
      test('GET /info answers KsqlServerInfo', async () => {
        const r = await request(p, t.port, '/info');
        assert.equal(r.status, 200);
        assert.match(String(r.headers['content-type']), /^application\/json/);
        const info = JSON.parse(r.body);
        assert.deepEqual(Object.keys(info), ['KsqlServerInfo']);
        assert.equal(info.KsqlServerInfo.ksqlServiceId, 'default_');
        assert.equal(info.KsqlServerInfo.serverStatus, 'RUNNING');
        assert.match(info.KsqlServerInfo.version, /^\d+\.\d+\.\d+$/);
        assert.equal(typeof info.KsqlServerInfo.kafkaClusterId, 'string');
      });

      test('GET / redirects to /info', async () => {
        const r = await request(p, t.port, '/');
        assert.equal(r.status, 307);
        assert.equal(r.headers['location'], '/info');
      });

      test('GET /healthcheck, /chc/live, /chc/ready', async () => {
        const r = await request(p, t.port, '/healthcheck');
        assert.equal(r.status, 200);
        assert.deepEqual(JSON.parse(r.body), {
          isHealthy: true,
          details: { metastore: { isHealthy: true }, kafka: { isHealthy: true }, commandRunner: { isHealthy: true } },
          serverState: 'READY',
        });
        assert.equal((await request(p, t.port, '/chc/live')).body, '{}');
        assert.equal((await request(p, t.port, '/chc/ready')).body, '{}');
      });

      test('GET /clusterStatus reports this single node alive', async () => {
        const r = await request(p, t.port, '/clusterStatus');
        assert.equal(r.status, 200);
        const hosts = JSON.parse(r.body).clusterStatus;
        const [host, status] = Object.entries(hosts)[0] as [string, Record<string, unknown>];
        assert.equal(host, `127.0.0.1:${t.port}`);
        assert.equal(status['hostAlive'], true);
        assert.equal(typeof status['lastStatusUpdateMs'], 'number');
        assert.deepEqual(Object.keys(status), ['hostAlive', 'lastStatusUpdateMs', 'activeStandbyPerQuery', 'hostStoreLags']);
      });

      test('GET /status and /status/{type}/{entity}/{action}', async () => {
        const all = JSON.parse((await request(p, t.port, '/status')).body);
        assert.equal(all.commandStatuses['stream/PAGEVIEWS/create'], 'SUCCESS');
        const one = await request(p, t.port, '/status/stream/PAGEVIEWS/create');
        assert.equal(one.status, 200);
        assert.deepEqual(JSON.parse(one.body), { status: 'SUCCESS', message: 'Stream created', queryId: null });
        const missing = await request(p, t.port, '/status/stream/NOPE/create');
        assert.equal(missing.status, 404);
        assert.deepEqual(JSON.parse(missing.body), { '@type': 'generic_error', error_code: 40400, message: 'Command not found' });
      });

      test('GET /is_valid_property', async () => {
        const ok = await request(p, t.port, '/is_valid_property/ksql.streams.auto.offset.reset');
        assert.equal(ok.status, 200);
        assert.equal(ok.body, 'true');
        const denied = await request(p, t.port, '/is_valid_property/ksql.service.id');
        assert.equal(denied.status, 400);
        const body = JSON.parse(denied.body);
        assert.equal(body['@type'], 'generic_error');
        assert.equal(body.error_code, 40000);
        assert.match(body.message, /prohibited by the KSQL server.*\[ksql\.service\.id\]/);
      });

      test('unknown paths and wrong methods are a bare 404', async () => {
        for (const r of [await request(p, t.port, '/nope'), await request(p, t.port, '/ksql'), await postJson(p, t.port, '/info', {})]) {
          assert.equal(r.status, 404);
          assert.equal(r.body, 'Not Found');
          assert.equal(r.headers['content-type'], undefined);
        }
      });

      test('an Accept header no route produces is a 404', async () => {
        const r = await postJson(p, t.port, '/ksql', { ksql: 'LIST STREAMS;' }, { accept: 'blahblah' });
        assert.equal(r.status, 404);
        assert.equal(r.body, 'Not Found');
        const r2 = await request(p, t.port, '/info', { headers: { accept: 'text/html' } });
        assert.equal(r2.status, 404);
      });

      test('/ksql LIST STREAMS answers a streams entity', async () => {
        const r = await postJson(p, t.port, '/ksql', { ksql: 'LIST STREAMS;', streamsProperties: {} }, { accept: 'application/vnd.ksql.v1+json' });
        assert.equal(r.status, 200);
        assert.match(String(r.headers['content-type']), /^application\/json/);
        const [entity] = JSON.parse(r.body);
        assert.equal(entity['@type'], 'streams');
        assert.equal(entity.statementText, 'LIST STREAMS;');
        assert.deepEqual(entity.warnings, []);
        const pv = entity.streams.find((s: { name: string }) => s.name === 'PAGEVIEWS');
        assert.deepEqual(pv, { type: 'STREAM', name: 'PAGEVIEWS', topic: 'pageviews', keyFormat: 'KAFKA', valueFormat: 'JSON', isWindowed: false });
      });

      test('/ksql DESCRIBE answers a sourceDescription', async () => {
        const r = await postJson(p, t.port, '/ksql', { ksql: 'DESCRIBE PAGEVIEWS;' });
        assert.equal(r.status, 200);
        const [entity] = JSON.parse(r.body);
        assert.equal(entity['@type'], 'sourceDescription');
        const d = entity.sourceDescription;
        assert.equal(d.name, 'PAGEVIEWS');
        assert.equal(d.type, 'STREAM');
        assert.equal(d.topic, 'pageviews');
        assert.deepEqual(d.fields[0], { name: 'K', schema: { type: 'STRING', fields: null, memberSchema: null }, type: 'KEY' });
        assert.deepEqual(d.fields[1], { name: 'ID', schema: { type: 'INTEGER', fields: null, memberSchema: null } });
        for (const k of ['readQueries', 'writeQueries', 'timestamp', 'statement', 'partitions', 'replication', 'sourceConstraints', 'windowType']) {
          assert.ok(k in d, `missing ${k}`);
        }
      });

      test('/ksql with invalid JSON is 400 / 40000', async () => {
        const r = await request(p, t.port, '/ksql', { method: 'POST', body: '{"ksql": ', headers: { 'content-type': 'application/json' } });
        assert.equal(r.status, 400);
        const body = JSON.parse(r.body);
        assert.equal(body['@type'], 'generic_error');
        assert.equal(body.error_code, 40000);
        assert.match(body.message, /^Invalid JSON in request: /);
      });

      test('/ksql without the ksql field is 400 / 40000', async () => {
        const r = await postJson(p, t.port, '/ksql', { streamsProperties: {} });
        assert.equal(r.status, 400);
        assert.deepEqual(JSON.parse(r.body), { '@type': 'generic_error', error_code: 40000, message: '"ksql" field must be populated' });
      });

      test('/ksql with a SELECT is 400 / 40002', async () => {
        const r = await postJson(p, t.port, '/ksql', { ksql: 'SELECT * FROM PAGEVIEWS EMIT CHANGES;' });
        assert.equal(r.status, 400);
        const body = JSON.parse(r.body);
        assert.equal(body['@type'], 'statement_error');
        assert.equal(body.error_code, 40002);
        assert.match(body.message, /should be issued to the websocket endpoint '\/query'/);
        assert.equal(body.statementText, 'SELECT * FROM PAGEVIEWS EMIT CHANGES;');
      });

      test('/ksql with bad SQL is 400 / 40001 with statementText and earlier entities', async () => {
        const r = await postJson(p, t.port, '/ksql', { ksql: 'LIST STREAMS; CREATE GARBAGE;' });
        assert.equal(r.status, 400);
        const body = JSON.parse(r.body);
        assert.equal(body['@type'], 'statement_error');
        assert.equal(body.error_code, 40001);
        assert.match(body.statementText, /CREATE GARBAGE/);
        assert.equal(typeof body.message, 'string');
        assert.ok(Array.isArray(body.entities));
      });

      test('/ksql creating an existing stream fails with 40001', async () => {
        const r = await postJson(p, t.port, '/ksql', {
          ksql: "CREATE STREAM PAGEVIEWS (K STRING KEY, ID INT) WITH (kafka_topic='pageviews', value_format='JSON');",
        });
        assert.equal(r.status, 400);
        const body = JSON.parse(r.body);
        assert.equal(body.error_code, 40001);
        assert.match(body.message, /already exists/);
      });

      test('EXPLAIN of a statement plans it without running it; EXPLAIN of a non-query statement is 40001', async () => {
        const before = JSON.parse((await postJson(p, t.port, '/ksql', { ksql: 'SHOW QUERIES;' })).body)[0].queries.length;
        const r = await postJson(p, t.port, '/ksql', { ksql: 'EXPLAIN CREATE STREAM PV_NAMES AS SELECT K, UCASE(NAME) AS N FROM PAGEVIEWS WHERE ID > 1;' });
        assert.equal(r.status, 200, r.body);
        const [e] = JSON.parse(r.body);
        assert.equal(e['@type'], 'queryDescription');
        const d = e.queryDescription;
        assert.match(d.id, /^CSAS_PV_NAMES_\d+$/);
        assert.equal(d.statementText, 'CREATE STREAM PV_NAMES AS SELECT K, UCASE(NAME) AS N FROM PAGEVIEWS WHERE ID > 1;');
        assert.deepEqual(d.fields.map((f: { name: string }) => f.name), ['K', 'N']);
        assert.deepEqual(d.sources, ['PAGEVIEWS']);
        assert.deepEqual(d.sinks, ['PV_NAMES']);
        assert.match(d.executionPlan, /\[ SINK \][\s\S]*\[ FILTER \][\s\S]*\[ SOURCE \] PAGEVIEWS/);
        assert.deepEqual(d.ksqlHostQueryStatus, {});
        // Nothing was created or started.
        const after = JSON.parse((await postJson(p, t.port, '/ksql', { ksql: 'SHOW QUERIES;' })).body)[0].queries.length;
        assert.equal(after, before);
        assert.equal((await postJson(p, t.port, '/ksql', { ksql: 'DESCRIBE PV_NAMES;' })).status, 400);
        const push = JSON.parse((await postJson(p, t.port, '/ksql', { ksql: 'EXPLAIN SELECT NAME FROM PAGEVIEWS EMIT CHANGES;' })).body)[0].queryDescription;
        assert.equal(push.queryType, 'PUSH');
        assert.deepEqual(push.fields.map((f: { name: string }) => f.name), ['NAME']);
        const bad = await postJson(p, t.port, '/ksql', { ksql: 'EXPLAIN SHOW STREAMS;' });
        assert.equal(bad.status, 400);
        assert.equal(JSON.parse(bad.body).error_code, 40001);
        assert.match(JSON.parse(bad.body).message, /does not run a ksql query/);
      });
    });
  }

  test('/ksql CREATE answers currentStatus with increasing sequence numbers', async () => {
    const r = await postJson('http2', t.port, '/ksql', {
      ksql: "CREATE STREAM A1 (ID INT) WITH (kafka_topic='a1', value_format='JSON', partitions=1); CREATE STREAM A2 (ID INT) WITH (kafka_topic='a2', value_format='JSON', partitions=1);",
    });
    assert.equal(r.status, 200, r.body);
    const entities = JSON.parse(r.body);
    assert.equal(entities.length, 2);
    const [e1, e2] = entities;
    assert.deepEqual(Object.keys(e1), ['@type', 'statementText', 'commandId', 'commandStatus', 'commandSequenceNumber', 'warnings']);
    assert.equal(e1['@type'], 'currentStatus');
    assert.equal(e1.commandId, 'stream/A1/create');
    assert.deepEqual(e1.commandStatus, { status: 'SUCCESS', message: 'Stream created', queryId: null });
    assert.ok(e2.commandSequenceNumber > e1.commandSequenceNumber);
  });

  test('/ksql: statements that return nothing answer []', async () => {
    const r = await postJson('http1', t.port, '/ksql', { ksql: "INSERT INTO PAGEVIEWS (K, ID, NAME) VALUES ('k0', 0, 'zero');" });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, '[]');
  });
});
