// The function registry: case-insensitive lookup, SHOW FUNCTIONS listing, collect limits. The
// built-in registry needs scalar/index.ts; those checks are skipped until it exists.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INTEGER } from '../common/sql-type.ts';
import { aggregateFunctions } from './aggregate/index.ts';
import { createFunctionRegistry } from './function-registry.ts';
import type { FunctionRegistry } from './function-types.ts';
import { tableFunctions } from './table/index.ts';

void test('lookup is case-insensitive and per kind', () => {
  const r = createFunctionRegistry({ scalars: [], aggregates: aggregateFunctions(), tables: tableFunctions });
  assert.equal(r.aggregate('count')?.doc.name, 'COUNT');
  assert.equal(r.aggregate('Latest_By_Offset')?.doc.name, 'LATEST_BY_OFFSET');
  assert.equal(r.table('explode')?.doc.name, 'EXPLODE');
  assert.equal(r.table('count'), undefined);
  assert.equal(r.scalar('count'), undefined);
  assert.equal(r.aggregate('WONT_FIND_ME'), undefined);
});

void test('list() names every aggregate and table function, sorted', () => {
  const r = createFunctionRegistry({ scalars: [], aggregates: aggregateFunctions(), tables: tableFunctions });
  const names = r.list().map((f) => f.name);
  assert.deepEqual(names, [...names].sort());
  assert.equal(r.list().filter((f) => f.type === 'AGGREGATE').length, 18);
  assert.deepEqual(r.list().filter((f) => f.type === 'TABLE').map((f) => f.name), ['CUBE_EXPLODE', 'EXPLODE']);
  assert.ok(r.list().some((f) => f.name === 'TOPKDISTINCT' && f.category === 'AGGREGATE'));
});

void test('builtinFunctions reads ksql.functions.collect_list.limit', async () => {
  const { builtinFunctions } = (await import('./registry.ts')) as { builtinFunctions: (p?: Record<string, unknown>) => FunctionRegistry };
  const r = builtinFunctions({ 'ksql.functions.collect_list.limit': '1' });
  const agg = r.aggregate('collect_list')!.resolve([{ type: { kind: 'value', type: INTEGER } }]);
  assert.ok(!('error' in agg));
  assert.deepEqual(agg.result(agg.add(agg.add(agg.initial(), [0]), [100])), [0]);
  assert.ok(r.list().some((f) => f.type === 'SCALAR'));
});
