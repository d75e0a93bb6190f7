// Which source columns the steps above a stream source read: only through Filter/Project chains.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BoundExpr } from '../../analyzer/bound-expr.ts';
import { BIGINT, BOOLEAN } from '../../common/sql-type.ts';
import type { Step } from '../../plan/steps.ts';
import { columnsReadAbove } from './source-columns.ts';

const col = (index: number): BoundExpr => ({ kind: 'Column', type: BIGINT, index, name: `C${index}` });
const base = { layout: [], keyCount: 0, isTable: false, windowed: false };
const source = { ...base, kind: 'Source' } as unknown as Step;
const filter = (predicate: BoundExpr): Step => ({ ...base, kind: 'Filter', input: source, predicate });
const project = (exprs: BoundExpr[]): Step => ({ ...base, kind: 'Project', input: source, exprs, rowtime: undefined });

void test('filters then a projection: the columns their expressions read, at any depth', () => {
  const predicate = { kind: 'Compare', type: BOOLEAN, op: '>', left: col(3), right: col(9) } as unknown as BoundExpr;
  const nested = { kind: 'Call', type: BIGINT, args: [{ kind: 'Cast', type: BIGINT, operand: col(5) }] } as unknown as BoundExpr;
  assert.deepEqual([...columnsReadAbove([filter(predicate), project([col(1), nested])])!].sort(), [1, 3, 5, 9]);
});

void test('anything but a Filter/Project chain ending in a Project may read every column', () => {
  assert.equal(columnsReadAbove([]), undefined);
  assert.equal(columnsReadAbove([filter(col(1))]), undefined);
  assert.equal(columnsReadAbove([{ ...base, kind: 'Sink' } as unknown as Step, project([col(1)])]), undefined);
});

void test('a GROUP BY re-key reads its expressions; a PARTITION BY re-key passes the whole row on', () => {
  const rekey = (exprs: BoundExpr[], layoutWidth: number): Step =>
    ({ ...base, kind: 'Rekey', input: source, exprs, viaTopic: undefined, layout: new Array(layoutWidth).fill({ name: 'X', type: BIGINT }), keyCount: 1 }) as unknown as Step;
  assert.deepEqual([...columnsReadAbove([filter(col(2)), rekey([col(1), col(4)], 2)])!].sort(), [1, 2, 4]);
  assert.equal(columnsReadAbove([rekey([col(1)], 5)]), undefined);
});
