// Parses every statement of ksqlDB's conformance corpus (read at test time from ../shared/conformance):
// all must parse, except the last statement of tests that expect a ParseFailedException, which must
// fail with ksqlDB's message. The last statement of other negative tests may fail, but only with the
// expected message (ksqlDB reports some semantic errors while building the AST).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScript } from './parser.ts';

const CORPUS = join(import.meta.dirname, '../../../shared/conformance');

interface CorpusTest {
  name: string;
  statements?: string[];
  expectedException?: { type?: string; message?: string };
  expectedError?: { type?: string; message?: string };
}

/** Removes `//` line comments outside JSON strings (a few corpus files have them). */
function stripComments(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += json[++i] ?? '';
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === '/' && json[i + 1] === '/') {
      while (i < json.length && json[i] !== '\n') i++;
      out += '\n';
    } else {
      out += ch;
    }
  }
  return out;
}

/** The part of ksqlDB's message our parser must reproduce: without the runner's prefix or the echoed statement. */
function expectedMessage(message: string): string {
  return message.replace(/^Failed to prepare statement: (line \d+:\d+: )?/, '').replace(/\nStatement: [\s\S]*$/, '');
}

const files = existsSync(CORPUS)
  ? ['qtt', 'rqtt'].flatMap((dir) => readdirSync(join(CORPUS, dir)).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)))
  : [];

void test('conformance corpus is present', { skip: files.length === 0 ? `no corpus at ${CORPUS}` : false }, () => {
  assert.ok(files.length > 100);
});

for (const file of files) {
  void test(`parses ${file}`, () => {
    const tests = (JSON.parse(stripComments(readFileSync(join(CORPUS, file), 'utf8'))) as { tests?: CorpusTest[] }).tests ?? [];
    const failures: string[] = [];
    for (const t of tests) {
      const statements = (t.statements ?? []).map((s) => s.replaceAll('{FORMAT}', 'JSON'));
      const expected = t.expectedException ?? t.expectedError;
      const mustFail = expected?.type?.endsWith('ParseFailedException') === true;
      statements.forEach((sql, i) => {
        const result = parseScript(sql);
        const last = i === statements.length - 1;
        if (mustFail && last) {
          if (result.ok) failures.push(`${t.name}: expected a parse failure: ${sql}`);
          else if (expected?.message !== undefined && !result.error.message.includes(expectedMessage(expected.message))) {
            failures.push(`${t.name}: message ${JSON.stringify(result.error.message)} lacks ${JSON.stringify(expectedMessage(expected.message))}`);
          }
        } else if (!result.ok && expected?.message !== undefined && last) {
          if (!result.error.message.includes(expectedMessage(expected.message))) {
            failures.push(`${t.name}: message ${JSON.stringify(result.error.message)} lacks ${JSON.stringify(expectedMessage(expected.message))}`);
          }
        } else if (!result.ok) {
          failures.push(`${t.name}: ${result.error.message}\n    ${sql}`);
        }
      });
    }
    assert.deepEqual(failures, []);
  });
}
