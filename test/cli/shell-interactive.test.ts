// The interactive shell in a pseudo-terminal against the fake ksqlDB-compatible server
// (fake-ksql-server.ts); shell-riffle-server.test.ts runs the same session against Riffle itself.

import { after, before, test } from 'node:test';
import { startFakeServer, type FakeServer } from './fake-ksql-server.ts';
import { interactiveScenario } from './interactive-scenario.ts';
import { ptyAvailable } from './pty-shell.ts';
import assert from 'node:assert/strict';

let server: FakeServer;
before(async () => {
  server = await startFakeServer();
});
after(() => server.close());

test('a person at the shell: multi-line input, completion, Ctrl-C on a push query, an error, RUN SCRIPT', { skip: !ptyAvailable() && 'needs util-linux script', timeout: 90_000 }, async () => {
  await interactiveScenario(server.url);
  // Ctrl-C closed the push query on the server; the shell sent its SET with the query.
  assert.equal(server.closed.length, 1);
  const query = server.requests.find((r) => r.path === '/query-stream');
  assert.deepEqual((query?.body as { properties: unknown }).properties, { 'auto.offset.reset': 'earliest' });
});
