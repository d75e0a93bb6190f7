// One session at the shell, typed as a person would, against whichever server `url` points to:
// a multi-line CREATE, tab completion, a push query ended by Ctrl-C, an error with its position,
// RUN SCRIPT, Ctrl-C while typing, history, exit. Shared by the in-process and child-process server tests.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { delay, PtyShell } from './pty-shell.ts';

export async function interactiveScenario(url: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'riffle-cli-'));
  const historyFile = path.join(dir, 'history');
  const shell = new PtyShell([url], { RIFFLE_HISTORY_FILE: historyFile });
  try {
    const banner = await shell.waitFor('ksql> ');
    assert.match(banner, /Server v\S+ at http:\/\/127\.0\.0\.1:\d+\/ \(status: RUNNING\)/);

    // SET is checked with the server and kept by the shell; earliest so the push query sees old rows.
    shell.type("SET 'auto.offset.reset' = 'earliest';\r");
    assert.match(await shell.waitFor('ksql> '), /Successfully changed local property 'auto.offset.reset' to 'earliest'/);

    // A statement over several lines: continuation prompts until the `;`.
    await shell.typeLines(['CREATE STREAM riders (', '  id INT KEY,', "  name STRING) WITH (kafka_topic='riders', value_format='json', partitions=1);"]);
    const created = await shell.waitFor('ksql> ');
    assert.match(created, />\s+id INT KEY,/, 'continuation prompt');
    assert.match(created, / Message\s*\n-+\n Stream created\s*\n-+\n/);

    shell.type("INSERT INTO riders (id, name) VALUES (1, 'ann');\r");
    await shell.waitFor('ksql> ');

    // Tab completes the stream name the server now knows.
    shell.type('DESCRIBE RID');
    await delay(100);
    shell.type('\t');
    await shell.waitFor('DESCRIBE RIDERS');
    shell.type(';\r');
    const described = await shell.waitFor('ksql> ');
    assert.match(described, /Name\s+: RIDERS/);
    assert.match(described, / ID\s+\| INTEGER\s+\(key\)/);

    // A push query streams until Ctrl-C, which ends the query and not the shell.
    shell.type('SELECT * FROM riders EMIT CHANGES;\r');
    const header = await shell.waitFor(/\|ann\s*\|/, 60_000);
    assert.match(header, /\+-+\+-+\+\n\|ID\s+\|NAME\s+\|\n\+-+\+-+\+\n\|1\s+\|ann\s+\|/);
    await delay(200);
    shell.type('\x03');
    const ended = await shell.waitFor('ksql> ');
    assert.match(ended, /\+-+\+-+\+\nQuery terminated\n/);

    // An error shows the server's message and where the statement went wrong.
    await shell.typeLines(['SELECT name,', '  FROM riders;']);
    const failed = await shell.waitFor('ksql> ');
    assert.match(failed, /line 2:3/);
    assert.match(failed, /\n {2}FROM riders;\n {2}\^\n/);

    // RUN SCRIPT runs a file's statements; its errors say where in the file.
    const script = path.join(dir, 'more.sql');
    writeFileSync(script, "-- more riders\nINSERT INTO riders (id, name) VALUES (2, 'bo');\nSELECT * FROM riders LIMIT 2;\n");
    shell.type(`RUN SCRIPT '${script}';\r`);
    const ran = await shell.waitFor('ksql> ', 60_000);
    assert.match(ran, /\|2\s+\|bo\s+\|/);

    // Ctrl-C while typing abandons the unfinished statement.
    shell.type('SHOW\r');
    await shell.waitFor('>');
    shell.type('\x03');
    await shell.waitFor('ksql> ');
    shell.type('SHOW STREAMS;\r');
    const listed = await shell.waitFor('ksql> ');
    assert.match(listed, / Stream Name\s+\| Kafka Topic\s+\| Key Format\s+\| Value Format\s+\| Windowed\n-+\n RIDERS\s+\| riders\s+\| KAFKA\s+\| JSON\s+\| false\n/);

    shell.type('exit\r');
    assert.equal(await shell.exited, 0);
    const history = readFileSync(historyFile, 'utf8');
    assert.match(history, /^SHOW STREAMS;$/m);
    assert.match(history, /^ {2}name STRING\) WITH/m);
  } catch (err) {
    shell.kill();
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
