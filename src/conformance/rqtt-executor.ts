// Runs one RQTT case the way ksqlDB's RestTestExecutor does (§1.11): non-query statements as one
// /ksql request, inputs, then each SELECT via /query, output records, and response matching.

import { EngineHost, RQTT_BASE_CONFIG } from './engine-host.ts';
import { isJsonObject } from './json.ts';
import type { TestCase } from './model.ts';
import { matchExpectedError } from './negative.ts';
import { describeCaught, type CaseOutcome } from './outcome.ts';
import { EngineRestDriver } from './rest-driver-engine.ts';
import { HttpRestDriver } from './rest-driver-http.ts';
import type { RestDriver, RestError } from './rest-driver.ts';
import { verifyResponses, type RestResponse } from './rest-match.ts';
import { startCaseServer } from './server-host.ts';
import { VerificationError, verifyOutputs } from './verify-outputs.ts';

/** Without a known expected size, read at most this many StreamedRows of a query. */
const DEFAULT_MAX_ELEMENTS = 10_000;

export type RqttDriverKind = 'http' | 'engine';

/**
 * 'http' (default): a real Riffle server in-process, spoken to over HTTP/1.1 as ksqlDB's runner does.
 * 'engine': the EngineApi directly with an interim renderer, for debugging (RIFFLE_RQTT_DRIVER=engine).
 */
let driverKind: RqttDriverKind = process.env['RIFFLE_RQTT_DRIVER'] === 'engine' ? 'engine' : 'http';

export function setRqttDriver(kind: RqttDriverKind): void {
  driverKind = kind;
}

export async function runRqttCase(tc: TestCase): Promise<CaseOutcome> {
  const host = await EngineHost.open(RQTT_BASE_CONFIG, tc);
  try {
    if (driverKind === 'engine') return await execute(host, new EngineRestDriver(host.engine), tc);
    const server = await startCaseServer(host.engine);
    try {
      const driver = new HttpRestDriver({ port: server.port, runUntilIdle: () => host.engine.runUntilIdle() });
      return await execute(host, driver, tc);
    } finally {
      await server.close();
    }
  } finally {
    await host.close();
  }
}

function judgeError(tc: TestCase, error: RestError): CaseOutcome {
  if (!tc.expectedError) return { status: 'failed', reason: `Server failed to execute statement: ${describeCaught(error)}` };
  const m = matchExpectedError(tc.expectedError, error);
  if (m.typeMatched) return { status: 'passed', negativeMessageMatched: m.messageMatched };
  return {
    status: 'failed',
    negativeMessageMatched: m.messageMatched,
    reason: `expected error ${tc.expectedError.type ?? ''} status ${tc.expectedError.status ?? 'any'} but got ` +
      `${error.type} status ${error.status}: ${error.message}`,
  };
}

async function execute(host: EngineHost, driver: RestDriver, tc: TestCase): Promise<CaseOutcome> {
  const firstQuery = tc.statements.findIndex((s) => s.startsWith('SELECT '));
  const split = firstQuery < 0 ? tc.statements.length : firstQuery;
  const admin = tc.statements.slice(0, split);
  const queries = tc.statements.slice(split);
  if (queries.some((s) => !s.startsWith('SELECT '))) {
    return { status: 'failed', reason: 'Invalid test case: all queries should be at the end of the statement list' };
  }
  const expectedSize = tc.responses.filter((r) => !('queryProto' in r)).length;
  if (tc.statements.length < expectedSize) {
    return { status: 'failed', reason: 'Invalid test case: more expected responses than statements' };
  }
  await host.createTopics(tc);

  const responses: RestResponse[] = [];
  if (admin.length > 0) {
    const res = await driver.ksql(admin.join('\n'), tc.properties);
    if (!res.ok) return judgeError(tc, res.error);
    for (const entity of res.entities) responses.push({ kind: 'admin', entity });
  }
  const produce = async (): Promise<void> => {
    await host.produce(tc, tc.inputs, 'key-hash');
    await host.engine.runUntilIdle();
  };
  if (!tc.waitForActivePushQuery) await produce();
  if (!tc.expectedError && tc.responses.length > responses.length) await host.engine.runUntilIdle();

  let queryError: RestError | undefined;
  for (let i = 0; i < queries.length; i++) {
    const expected = tc.responses[responses.length];
    const expectedRows = expected && Array.isArray(expected['query']) ? expected['query'].length : undefined;
    const first = i === 0 && tc.waitForActivePushQuery;
    const res = await driver.query(queries[i]!, tc.properties, {
      maxElements: expectedRows ?? DEFAULT_MAX_ELEMENTS,
      ...(first ? { afterHeader: produce } : {}),
    });
    if (!res.ok) {
      if (!tc.expectedError) return judgeError(tc, res.error);
      queryError ??= res.error;
      continue;
    }
    responses.push({ kind: 'query', rows: res.rows });
  }
  if (queryError) return judgeError(tc, queryError);
  if (tc.expectedError) {
    return { status: 'failed', reason: 'Expected last statement to return an error', negativeMessageMatched: false };
  }

  try {
    await verifyOutputs(host, tc, 'rqtt');
  } catch (e) {
    if (e instanceof VerificationError) return { status: 'failed', reason: e.message };
    throw e;
  }
  const expected = tc.responses.filter((r) => isJsonObject(r));
  const mismatch = verifyResponses(responses, expected, tc.statements, tc.verifyOrder);
  return mismatch ? { status: 'failed', reason: mismatch } : { status: 'passed' };
}
