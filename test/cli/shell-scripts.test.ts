// The shell without a terminal: `-e SQL`, `-f FILE` and a script piped into stdin, their output,
// their error reports (with positions, on stderr) and their exit codes, against a real Riffle server
// on loopback (riffle-test-server.ts). Tests run in order and share the server's streams.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startShellTestServer, type ShellTestServer } from './riffle-test-server.ts';

const RIFFLE = path.resolve(import.meta.dirname, '../../src/bin/riffle.ts');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], stdin = '', interruptWhen?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RIFFLE, 'cli', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '40' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (interruptWhen?.test(stdout)) {
        interruptWhen = undefined;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // Only a bound against a hung shell: starting one can take several seconds on a loaded machine.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

let server: ShellTestServer;
let dir: string;
before(async () => {
  server = await startShellTestServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'riffle-cli-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

// A new topic needs PARTITIONS, as in ksqlDB.
const CREATE = "CREATE STREAM s (id INT KEY, name STRING) WITH (kafka_topic='s', value_format='json', partitions=1);";

test('-e runs the statements, renders results and exits 0', async () => {
  const run = await cli([server.url, '-e', `${CREATE} INSERT INTO s VALUES (1, 'ann'); SELECT * FROM s;`]);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  assert.equal(run.stdout, [
    ' Message',
    '----------------',
    ' Stream created',
    '----------------',
    '+------------------+------------------+',
    '|ID                |NAME              |',
    '+------------------+------------------+',
    '|1                 |ann               |',
    '+------------------+------------------+',
    '',
  ].join('\n'));
});

test('-e stops at an error, shows it with its position on stderr and exits 1', async () => {
  const run = await cli([server.url, '-e', 'SHOW STREAMS; SELECT id, FROM s; SHOW TABLES;']);
  assert.equal(run.code, 1);
  assert.match(run.stdout, / Stream Name/);
  assert.doesNotMatch(run.stdout, / Table Name/);
  assert.match(run.stderr, /line 1:12:/);
  assert.match(run.stderr, /\nSELECT id, FROM s;\n {11}\^\n$/);
});

test('-f runs a file and reports errors at their place in the file', async () => {
  const file = path.join(dir, 'script.sql');
  writeFileSync(file, '-- a script\nSHOW STREAMS;\n\nDESCRIBE\n  s\n  EXTENDED foo;\n');
  const run = await cli([server.url, '-f', file]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, / Stream Name/);
  assert.match(run.stderr, /line 3:12/);
  assert.match(run.stderr, new RegExp(`In ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at line 6, column 12:\n {2}EXTENDED foo;\n {11}\\^\n`));
});

test('a script piped into stdin runs like typed input: multi-line, comments, variables, SET', async () => {
  const script = [
    '-- piped',
    'DEFINE who = \'bob\';',
    "SET 'auto.offset.reset' = 'earliest';",
    'INSERT INTO s (id, name)',
    "  VALUES (2, '${who}');",
    'SHOW VARIABLES;',
    'SHOW PROPERTIES;',
    'SELECT name',
    '  FROM s',
  ].join('\n');
  const run = await cli([server.url], script);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  assert.match(run.stdout, /Successfully changed local property 'auto.offset.reset' to 'earliest'/);
  assert.match(run.stdout, / Variable Name \| Value\n-+\n who {11}\| bob\n/);
  // The server scopes auto.offset.reset as a Kafka Streams setting.
  assert.match(run.stdout, / auto.offset.reset +\| KAFKA_STREAMS +\| QUERY +\| earliest\n/);
  // The last statement had no ';': the end of input completes it.
  assert.match(run.stdout, /\|NAME\s+\|\n\+-+\+\n\|ann\s+\|\n\|bob\s+\|\n\+-+\+\n$/);
});

test('a piped script stops at the first error with exit code 1', async () => {
  const run = await cli([server.url], "SET 'ksql.service.id' = 'x';\nSHOW STREAMS;\n");
  assert.equal(run.code, 1);
  assert.match(run.stderr, /prohibited by the KSQL server/);
  assert.equal(run.stdout, '');
});

test('an unreachable server is an error, not a hang', async () => {
  const run = await cli(['http://127.0.0.1:1', '-e', 'SHOW STREAMS;']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Could not reach the server: connect ECONNREFUSED 127.0.0.1:1/);
});

test('Ctrl-C (SIGINT) ends a push query run by -e, and the statements after it still run', async () => {
  // The row is there before the query starts: it only sees it from the earliest offset (default: latest).
  const setup = "SET 'auto.offset.reset' = 'earliest'; CREATE STREAM pushed (id INT KEY, name STRING) WITH (kafka_topic='p', value_format='json', partitions=1); INSERT INTO pushed VALUES (1, 'ann');";
  const seen = server.requests.length;
  const run = await cli([server.url, '-e', `${setup} SELECT name FROM pushed EMIT CHANGES; SHOW STREAMS;`], '', /\|ann\s+\|\n/);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  assert.match(run.stdout, /\|ann\s+\|\n\+-+\+\nQuery terminated\n Stream Name[^]*\n PUSHED /);
  // The shell closed the query by its id (a wrong id is answered 400), and the server stopped it.
  const closes = server.requests.slice(seen).filter((r) => r.path === '/close-query');
  assert.deepEqual(closes.map((r) => [r.method, r.status]), [['POST', 200]]);
  assert.ok(await server.pushQueriesEnded(), 'the push query still runs on the server');
});
