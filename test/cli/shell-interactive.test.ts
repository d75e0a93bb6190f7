// The interactive shell in a pseudo-terminal against a real Riffle server in this process
// (riffle-test-server.ts), so the test can also check what reached the server;
// shell-riffle-server.test.ts runs the same session against `riffle server` in a child process.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { postJson } from '../server/helpers.ts';
import { interactiveScenario } from './interactive-scenario.ts';
import { ptyAvailable } from './pty-shell.ts';
import { startShellTestServer, type ShellTestServer } from './riffle-test-server.ts';

const skip = !ptyAvailable() && 'needs util-linux script';

let server: ShellTestServer | undefined;
before(async () => {
  if (!skip) server = await startShellTestServer();
});
after(() => server?.close());

test('a person at the shell: multi-line input, completion, Ctrl-C on a push query, an error, RUN SCRIPT', { skip, timeout: 180_000 }, async () => {
  await interactiveScenario(server!.url);
  // Ctrl-C closed the push query on the server by its id (a wrong id is answered 400), and it stopped.
  const closes = server!.requests.filter((r) => r.path === '/close-query');
  assert.deepEqual(closes.map((r) => [r.method, r.status]), [['POST', 200]]);
  assert.ok(await server!.pushQueriesEnded(), 'the push query still runs on the server');
  // The shell sent its SET with the query: the scenario's push query showed a row inserted before it
  // started, which the server's own default (latest) would not have shown.
  assert.ok(server!.requests.some((r) => r.path === '/query-stream'));
  const port = Number(new URL(server!.url).port);
  const listed = JSON.parse((await postJson('http1', port, '/ksql', { ksql: 'SHOW PROPERTIES;' })).body) as [{ properties: { name: string; value: string }[] }];
  const reset = listed[0].properties.find((p) => p.name === 'ksql.streams.auto.offset.reset');
  assert.equal(reset?.value, 'latest');
});
