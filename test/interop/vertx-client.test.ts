// Interop: the HTTP/2 client ksqlDB's Java client is built on (Vert.x 5, Netty's HTTP/2) against
// Riffle's HTTP/2 handler: DDL, a streaming /inserts-stream, a push query, 3000 pull queries at
// once on one connection, a response larger than the client's window, a client reset. The jars
// come from Maven Central on first use (.tools/, outside git); Java 17+ and Maven are needed, as
// for the Kafka tests.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ensureMavenJars } from '../../src/kafka-local/jars.ts';
import { startTestServer } from '../server/helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const VERTX_VERSION = '5.0.7';

test('the Vert.x HTTP/2 client (ksqlDB Java client transport) works against Riffle', { timeout: 300_000 }, async () => {
  const lib = await ensureMavenJars(join(ROOT, '.tools', `vertx-${VERTX_VERSION}`), [
    { group: 'io.vertx', artifact: 'vertx-stack-depchain', version: VERTX_VERSION, bom: true },
    { group: 'io.vertx', artifact: 'vertx-core' },
  ]);
  const s = await startTestServer();
  try {
    const { stdout } = await promisify(execFile)('java', ['-cp', join(lib, '*'), join(import.meta.dirname, 'VertxHttp2Client.java'), String(s.port)],
      { timeout: 240_000, maxBuffer: 4 * 1024 * 1024 });
    const lines = stdout.split('\n').filter((l) => /^[a-z >0-9]+: /.test(l));
    assert.deepEqual(lines, [
      'ddl: true',
      'acks: 2000 {"seq":1999,"status":"ok"}',
      'push rows: 3',
      'pulls right: 3000',
      'scan rows: 2000 bytes>64k: true',
      'reset: true',
      'after reset: true',
    ]);
  } finally {
    await s.close();
  }
});
