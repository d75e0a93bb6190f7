// Post-condition schema strings normalise to the engine's formatSchema spelling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalSchema } from './schema-string.ts';

void test('aliases, quoting, key placement and nested types', () => {
  assert.equal(canonicalSchema('ID BIGINT KEY, NAME STRING'), '`ID` BIGINT KEY, `NAME` STRING');
  assert.equal(canonicalSchema('v int, `k` varchar primary key'), '`k` STRING KEY, `V` INTEGER');
  assert.equal(canonicalSchema('A STRUCT<B STRUCT<F1 INT, F2 STRING>>, M MAP<STRING, ARRAY<INT>>'),
    '`A` STRUCT<`B` STRUCT<`F1` INTEGER, `F2` STRING>>, `M` MAP<STRING, ARRAY<INTEGER>>');
  assert.equal(canonicalSchema('HIGHEST DECIMAL(13,6), H ARRAY<STRUCT<K STRING, V BYTES>> HEADERS, X BYTES HEADER(\'x\')'),
    "`HIGHEST` DECIMAL(13, 6), `H` ARRAY<STRUCT<`K` STRING, `V` BYTES>> HEADERS, `X` BYTES HEADER('x')");
  assert.equal(canonicalSchema('S STRUCT< >'), '`S` STRUCT<>');
});
