// Unit tests of the lexer: case folding, quoting, numbers vs digit-leading identifiers, comments,
// operators, variables, positions and lexical errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from './lexer.ts';

const kinds = (sql: string): string[] => tokenize(sql).map((t) => `${t.type}:${t.value}`);

void test('unquoted identifiers are upper-cased; quoted ones keep case and unescape', () => {
  assert.deepEqual(kinds('select `My``Col`, "a""b", x_1@y'), [
    'identifier:SELECT', 'quotedIdentifier:My`Col', 'op:,', 'quotedIdentifier:a"b', 'op:,', 'identifier:X_1@Y', 'eof:',
  ]);
});

void test('strings unescape doubled quotes', () => {
  assert.deepEqual(kinds("'it''s' ''"), ["string:it's", 'string:', 'eof:']);
});

void test('numbers keep their source text; digit-leading identifiers win when longer', () => {
  assert.deepEqual(kinds('1 1.50 .5 1e5 1.5E-3 12abc 1e5x 1.'), [
    'integer:1', 'decimal:1.50', 'decimal:.5', 'double:1e5', 'double:1.5E-3', 'identifier:12ABC', 'identifier:1E5X', 'decimal:1.', 'eof:',
  ]);
});

void test('operators take the longest match', () => {
  assert.deepEqual(kinds('<> != <= >= || -> => := = < > + - * / % . , ( ) [ ] ;').slice(0, -1).map((k) => k.slice(3)), [
    '<>', '!=', '<=', '>=', '||', '->', '=>', ':=', '=', '<', '>', '+', '-', '*', '/', '%', '.', ',', '(', ')', '[', ']', ';',
  ]);
  assert.deepEqual(kinds('a>>b'), ['identifier:A', 'op:>', 'op:>', 'identifier:B', 'eof:']);
});

void test('comments are skipped', () => {
  assert.deepEqual(kinds('a -- comment ; x\n/* multi\nline */ b --@directive'), ['identifier:A', 'identifier:B', 'eof:']);
});

void test('variables', () => {
  assert.deepEqual(kinds('${myVar}'), ['variable:myVar', 'eof:']);
});

void test('positions are 1-based line/column and can start at an origin', () => {
  const t = tokenize('SELECT\n  x,\r\n\ty');
  assert.deepEqual(t.map((x) => [x.value, x.pos.line, x.pos.column]), [['SELECT', 1, 1], ['X', 2, 3], [',', 2, 4], ['Y', 3, 2], ['', 3, 3]]);
  assert.deepEqual(tokenize('a b', { line: 4, column: 7 })[1]!.pos, { line: 4, column: 9 });
});

void test('lexical errors end the token list with an error token', () => {
  const t = tokenize("x 'open");
  assert.equal(t.at(-2)!.type, 'error');
  assert.equal(t.at(-2)!.value, 'line 1:3: Syntax Error\nUnterminated string literal');
  assert.equal(tokenize('a ? b').at(-2)!.value, "line 1:3: Syntax Error\nUnexpected character '?'");
  assert.equal(tokenize('/* x').at(-2)!.type, 'error');
});
