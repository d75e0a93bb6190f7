// Negative matching: Java exception classes as categories (instanceOf), messages as substrings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryOfJavaType, matchExpectedError, matchExpectedException } from './negative.ts';
import { judge } from './qtt-executor.ts';
import type { TestCase } from './model.ts';

const ee = (type?: string, message?: string) => ({ type, message, cause: undefined, causeMessage: undefined });

void test('maps Java classes to categories', () => {
  assert.equal(categoryOfJavaType('io.confluent.ksql.parser.exception.ParseFailedException'), 'parse');
  assert.equal(categoryOfJavaType('io.confluent.ksql.util.KsqlStatementException'), 'statement');
  assert.equal(categoryOfJavaType('io.confluent.ksql.util.KsqlException'), 'ksql');
  assert.equal(categoryOfJavaType('org.apache.kafka.streams.errors.StreamsException'), 'runtime');
  assert.equal(categoryOfJavaType('java.lang.Foo'), undefined);
});

void test('instanceOf: subclasses match, superclasses do not', () => {
  const stmt = 'io.confluent.ksql.util.KsqlStatementException';
  const ksql = 'io.confluent.ksql.util.KsqlException';
  const streams = 'org.apache.kafka.streams.errors.StreamsException';
  assert.equal(matchExpectedException(ee(stmt), { category: 'parse', message: '' }).typeMatched, true);
  assert.equal(matchExpectedException(ee(stmt), { category: 'statement', message: '' }).typeMatched, true);
  assert.equal(matchExpectedException(ee(stmt), { category: 'ksql', message: '' }).typeMatched, false);
  assert.equal(matchExpectedException(ee(ksql), { category: 'statement', message: '' }).typeMatched, true);
  assert.equal(matchExpectedException(ee(ksql), { category: 'runtime', message: '' }).typeMatched, false);
  assert.equal(matchExpectedException(ee(streams), { category: 'statement', message: '' }).typeMatched, true);
  assert.equal(matchExpectedException(ee(stmt), { category: 'assertion', message: '' }).typeMatched, false);
  assert.equal(matchExpectedException(ee(undefined, 'x'), { category: 'internal', message: 'x' }).typeMatched, false);
});

void test('message is a substring and only counted', () => {
  const r = matchExpectedException(ee('io.confluent.ksql.util.KsqlStatementException', 'does not exist'),
    { category: 'statement', message: "Source FOO does not exist.\nStatement: ..." });
  assert.deepEqual(r, { typeMatched: true, messageMatched: true });
  const r2 = matchExpectedException(ee('io.confluent.ksql.util.KsqlStatementException', 'other text'), { category: 'statement', message: 'x' });
  assert.deepEqual(r2, { typeMatched: true, messageMatched: false });
});

void test('judge: passes when rejected with the right category, fails when nothing was thrown', () => {
  const tc = { expectedException: ee('io.confluent.ksql.util.KsqlStatementException', 'boom') } as unknown as TestCase;
  assert.deepEqual(judge(tc, { category: 'statement', message: 'boom!' }), { status: 'passed', negativeMessageMatched: true });
  assert.deepEqual(judge(tc, { category: 'statement', message: 'other' }), { status: 'passed', negativeMessageMatched: false });
  assert.equal(judge(tc, undefined).status, 'failed');
  assert.equal(judge(tc, { category: 'runtime', message: 'boom' }).status, 'failed');
  const positive = { expectedException: undefined } as unknown as TestCase;
  assert.deepEqual(judge(positive, undefined), { status: 'passed' });
  assert.equal(judge(positive, { category: 'assertion', message: 'x' }).status, 'failed');
});

void test('RQTT expectedError: statement error type and status', () => {
  const e = { type: 'io.confluent.ksql.rest.entity.KsqlStatementErrorMessage', message: 'bad', status: 400 };
  assert.deepEqual(matchExpectedError(e, { category: 'statement', message: 'so bad', status: 400 }), { typeMatched: true, messageMatched: true });
  assert.equal(matchExpectedError(e, { category: 'ksql', message: 'bad', status: 400 }).typeMatched, false);
  assert.equal(matchExpectedError(e, { category: 'statement', message: 'bad', status: 500 }).typeMatched, false);
});
