// Runs one QTT case the way ksqlDB's TestExecutor does (§1.8): fresh engine, topics, statements
// one by one, inputs in file order, process to idle, verify outputs and post-conditions, and judge
// expected exceptions (§1.6).

import { describeCaught, toCaught, type CaseOutcome } from './outcome.ts';
import { EngineHost, QTT_BASE_CONFIG } from './engine-host.ts';
import type { TestCase } from './model.ts';
import { matchExpectedException, type CaughtError } from './negative.ts';
import { checkPostConditions } from './post-conditions.ts';
import { VerificationError, verifyOutputs } from './verify-outputs.ts';

export async function runQttCase(tc: TestCase): Promise<CaseOutcome> {
  const host = await EngineHost.open(QTT_BASE_CONFIG, tc);
  try {
    const thrown = await execute(host, tc);
    if ('outcome' in thrown) return thrown.outcome;
    return judge(tc, thrown.error);
  } finally {
    await host.close();
  }
}

type Step = { outcome: CaseOutcome } | { error: CaughtError | undefined };

async function execute(host: EngineHost, tc: TestCase): Promise<Step> {
  const { engine } = host;
  await host.createTopics(tc);
  const session = engine.newSession();
  for (let i = 0; i < tc.statements.length; i++) {
    try {
      await engine.execute(session, tc.statements[i]!);
    } catch (e) {
      const err = toCaught(e);
      const last = i === tc.statements.length - 1;
      // ksqlDB parses the whole script before running any of it, so a parse error anywhere is
      // "the" failure; any other failure must come from the last statement.
      if (last || (err.category === 'parse' && tc.expectedException)) return { error: err };
      const prefix = tc.expectedException ? 'Only the last statement in a negative test should fail. ' : '';
      return { outcome: { status: 'failed', reason: `${prefix}statement ${i + 1} failed: ${describeCaught(err)}` } };
    }
  }
  try {
    await host.produce(tc, tc.inputs);
    await engine.runUntilIdle();
  } catch (e) {
    return { error: toCaught(e, 'runtime') };
  }
  const broken = engine.persistentQueries().find((q) => q.state === 'ERROR');
  if (broken) return { error: { category: 'runtime', message: `query ${broken.id} failed: ${broken.error ?? 'unknown error'}` } };
  try {
    await verifyOutputs(host, tc, 'qtt');
  } catch (e) {
    if (e instanceof VerificationError) return { error: toCaught(e) };
    throw e;
  }
  const post = await checkPostConditions(engine, tc.post);
  if (post) return { error: { category: 'assertion', message: post } };
  return { error: undefined };
}

export function judge(tc: TestCase, error: CaughtError | undefined): CaseOutcome {
  const expected = tc.expectedException;
  if (!expected) {
    return error ? { status: 'failed', reason: describeCaught(error) } : { status: 'passed' };
  }
  if (!error) return { status: 'failed', reason: 'Expected test to throw', negativeMessageMatched: false };
  const m = matchExpectedException(expected, error);
  if (m.typeMatched) return { status: 'passed', negativeMessageMatched: m.messageMatched };
  return {
    status: 'failed',
    negativeMessageMatched: m.messageMatched,
    reason: `expected ${expected.type ?? 'an exception'}${expected.message ? ` "${expected.message}"` : ''} but got ${describeCaught(error)}`,
  };
}
