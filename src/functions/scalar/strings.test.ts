import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BYTES, INTEGER, STRING } from '../../common/sql-type.ts';
import { call } from './test-support.ts';

const s = (v: string | null) => [STRING, v] as const;
const i = (v: number | null) => [INTEGER, v] as const;

test('SUBSTRING positions (1-based, negative from the end)', () => {
  assert.equal(call('SUBSTRING', s('hello'), i(2)), 'ello');
  assert.equal(call('SUBSTRING', s('hello'), i(-3), i(2)), 'll');
  assert.equal(call('SUBSTRING', s('hello'), i(0), i(2)), 'he');
  assert.equal(call('SUBSTRING', s('hello'), i(10)), '');
  assert.equal(call('SUBSTRING', s(null), i(1)), null);
});

test('INSTR with position and occurrence', () => {
  assert.equal(call('INSTR', s('CORPORATE FLOOR'), s('OR'), i(3), i(2)), 14);
  assert.equal(call('INSTR', s('CORPORATE FLOOR'), s('OR'), i(-3), i(2)), 2);
  assert.equal(call('INSTR', s('CORPORATE FLOOR'), s('MISSING')), 0);
  assert.equal(call('INSTR', s(null), s('x')), 0);
});

test('padding, trimming, casing', () => {
  assert.equal(call('LPAD', s('abc'), i(7), s('xy')), 'xyxyabc');
  assert.equal(call('RPAD', s('abcdef'), i(3), s('xy')), 'abc');
  assert.equal(call('LPAD', s('abc'), i(5), s('')), null);
  assert.equal(call('TRIM', s('\u2003 a \t')), '\u2003 a');
  assert.equal(call('INITCAP', s('  the  QUICK brown')), 'The  Quick Brown');
  assert.deepEqual(call('RPAD', [BYTES, Uint8Array.of(1)], i(3), [BYTES, Uint8Array.of(9, 8)]), Uint8Array.of(1, 9, 8));
});

test('CONCAT/CONCAT_WS skip nulls; ELT/FIELD', () => {
  assert.equal(call('CONCAT', s('a'), null, s('b')), 'ab');
  assert.equal(call('CONCAT_WS', s('-'), s('a'), s(null), s('b')), 'a-b');
  assert.equal(call('CONCAT_WS', s(null), s('a')), null);
  assert.equal(call('ELT', i(2), s('a'), s('b')), 'b');
  assert.equal(call('ELT', i(3), s('a'), s('b')), null);
  assert.equal(call('FIELD', s('b'), s('a'), s('b')), 2);
  assert.equal(call('FIELD', s(null), s('a')), 0);
});

test('SPLIT, SPLIT_TO_MAP, REPLACE, REGEXP_*', () => {
  assert.deepEqual(call('SPLIT', s('a.b..c.'), s('.')), ['a', 'b', '', 'c', '']);
  assert.deepEqual(call('SPLIT', s('abc'), s('')), ['a', 'b', 'c']);
  assert.deepEqual(call('SPLIT_TO_MAP', s('a=1;b=2;;c'), s(';'), s('=')), new Map([['a', '1'], ['b', '2']]));
  assert.equal(call('REPLACE', s('a$b'), s('$'), s('$&')), 'a$&b');
  assert.equal(call('REGEXP_REPLACE', s('foo bar'), s('(\\w+) (\\w+)'), s('$2 $1')), 'bar foo');
  assert.equal(call('REGEXP_EXTRACT', s('(\\d+)-(\\d+)'), s('a 12-34'), i(2)), '34');
  assert.equal(call('REGEXP_EXTRACT', s('(\\d+)'), s('a'), i(2)), null);
  assert.deepEqual(call('REGEXP_EXTRACT_ALL', s('\\d'), s('a1b2')), ['1', '2']);
  assert.deepEqual(call('REGEXP_SPLIT_TO_ARRAY', s('a--b-c'), s('-')), ['a', '', 'b', 'c']);
  assert.deepEqual(call('REGEXP_SPLIT_TO_ARRAY', s('abc'), s('')), ['a', 'b', 'c']);
});

test('MASK family, CHR, MD5, ENCODE, bytes', () => {
  assert.equal(call('MASK', s('Ab1-é')), 'Xxn-x');
  assert.equal(call('MASK', s('Ab1'), s('*'), s(null), s('#'), s(null)), '*b#');
  assert.equal(call('MASK_KEEP_LEFT', s('Abc12'), i(2)), 'Abxnn');
  assert.equal(call('MASK_RIGHT', s('Abc12'), i(2)), 'Abcnn');
  assert.throws(() => call('MASK_LEFT', s('a'), i(-1)), /non-negative/);
  assert.equal(call('CHR', i(75)), 'K');
  assert.equal(call('CHR', s('\\u004b')), 'K');
  assert.equal(call('MD5', s('hello')), '5d41402abc4b2a76b9719d911017c592');
  assert.equal(call('ENCODE', s('Example!'), s('ascii'), s('hex')), '4578616d706c6521');
  assert.equal(call('ENCODE', s('Ελλάδα'), s('utf8'), s('ascii')), '\ufffd'.repeat(12));
  assert.equal(call('ENCODE', s('Ελλάδα'), s('ascii'), s('hex')), '3f3f3f3f3f3f');
  assert.equal(call('FROM_BYTES', [BYTES, Uint8Array.of(0xab, 1)], s('hex')), 'AB01');
  assert.equal(call('INT_FROM_BYTES', [BYTES, Uint8Array.of(1, 0, 0, 0)], s('LITTLE_ENDIAN')), 1);
  assert.equal(call('LEN', [BYTES, Uint8Array.of(1, 2)]), 2);
});
