// The baseline only grows, stays sorted, and regressions name every baseline case not passing.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBaseline, regressions, updateBaseline } from './baseline.ts';
import type { CaseResult } from './runner.ts';

const r = (name: string, status: CaseResult['status'], reason = ''): CaseResult => ({ file: 'f', name, status, reason });

void test('update adds passing cases, never removes, keeps sorted', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'conf-bl-')), 'b.txt');
  writeFileSync(file, 'b\nz\n');
  assert.deepEqual(updateBaseline([r('a', 'passed'), r('z', 'failed'), r('c', 'passed'), r('d', 'skipped')], file), ['a', 'c']);
  assert.equal(readFileSync(file, 'utf8'), 'a\nb\nc\nz\n');
  assert.deepEqual(readBaseline(file), ['a', 'b', 'c', 'z']);
});

void test('regressions list failed, skipped and missing baseline cases', () => {
  assert.deepEqual(regressions(['a', 'b', 'c', 'd'], [r('a', 'passed'), r('b', 'failed', 'boom\nmore'), r('c', 'skipped', 'needs AVRO')]), [
    'b: failed (boom)', 'c: skipped (needs AVRO)', 'd: not found in the corpus',
  ]);
});
