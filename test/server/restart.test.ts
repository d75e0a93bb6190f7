// The catalog survives kill -9: a server killed without warning and started again over the same
// data directory has every stream, table and persistent query back, and pull queries return the
// same rows as before the crash.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { postJson } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../src/bin/riffle.ts', import.meta.url));

async function startServer(dataDir: string) {
  const child = spawn(process.execPath, [BIN, 'server', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, KSQL_LISTENERS: 'http://127.0.0.1:8088' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 30_000;
  while (!/listening on http:\/\/127\.0\.0\.1:\d+/.test(out) && Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
  assert.ok(port > 0, out);
  return { child, port, output: () => out };
}

async function ksql(port: number, sql: string): Promise<unknown> {
  const reply = await postJson('http1', port, '/ksql', { ksql: sql, streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
  assert.equal(reply.status, 200, reply.body);
  return JSON.parse(reply.body);
}

/** Rows of a pull query (delimited format: a metadata line, then one JSON array per row). */
async function pull(port: number, sql: string): Promise<string[]> {
  const reply = await postJson('http1', port, '/query-stream', { sql });
  assert.equal(reply.status, 200, reply.body);
  return reply.body.split('\n').filter((l) => l.startsWith('[')).sort();
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await f();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    v = await f();
  }
  return v;
}

test('streams, tables, queries and table contents survive kill -9 of the server', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'riffle-restart-'));
  let server = await startServer(dataDir);
  try {
    await ksql(server.port, "CREATE STREAM clicks (user_id STRING KEY, page STRING) WITH (KAFKA_TOPIC='clicks', PARTITIONS=2, VALUE_FORMAT='JSON');");
    await ksql(server.port, 'CREATE TABLE per_user AS SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id;');
    const inserts = Array.from({ length: 30 }, (_, i) => `INSERT INTO clicks (user_id, page) VALUES ('u${i % 4}', 'p${i}');`).join('\n');
    await ksql(server.port, inserts);
    const expected = ['["u0",8]', '["u1",8]', '["u2",7]', '["u3",7]'];
    const before = await until(() => pull(server.port, 'SELECT * FROM per_user;'), (rows) => rows.join() === expected.join());
    assert.deepEqual(before, expected);

    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.on('exit', r));

    server = await startServer(dataDir);
    const streams = JSON.stringify(await ksql(server.port, 'SHOW STREAMS;'));
    assert.match(streams, /CLICKS/);
    const tables = JSON.stringify(await ksql(server.port, 'SHOW TABLES;'));
    assert.match(tables, /PER_USER/);
    const queries = JSON.stringify(await ksql(server.port, 'SHOW QUERIES;'));
    assert.match(queries, /CTAS_PER_USER_\d+/);
    const after = await until(() => pull(server.port, 'SELECT * FROM per_user;'), (rows) => rows.length === 4);
    assert.deepEqual(after, before);

    // The restored query keeps processing new input.
    await ksql(server.port, "INSERT INTO clicks (user_id, page) VALUES ('u0', 'again');");
    const later = await until(() => pull(server.port, "SELECT * FROM per_user WHERE user_id = 'u0';"), (rows) => rows[0] === '["u0",9]');
    assert.deepEqual(later, ['["u0",9]']);
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
