// The shell without a terminal: `-e SQL`, `-f FILE` and a script piped into stdin, their output,
// their error reports (with positions, on stderr) and their exit codes. Fake server on loopback.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startFakeServer, type FakeServer } from './fake-ksql-server.ts';

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
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

let server: FakeServer;
let dir: string;
before(async () => {
  server = await startFakeServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'riffle-cli-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const CREATE = "CREATE STREAM s (id INT KEY, name STRING) WITH (kafka_topic='s', value_format='json');";

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
  assert.match(run.stdout, / auto.offset.reset \| KSQL {2}\| QUERY \| earliest\n/);
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
  const setup = "CREATE STREAM pushed (id INT KEY, name STRING) WITH (kafka_topic='p', value_format='json'); INSERT INTO pushed VALUES (1, 'ann');";
  const run = await cli([server.url, '-e', `${setup} SELECT name FROM pushed EMIT CHANGES; SHOW STREAMS;`], '', /\|ann\s+\|\n/);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  assert.match(run.stdout, /\|ann\s+\|\n\+-+\+\nQuery terminated\n Stream Name[^]*\n PUSHED /);
});
