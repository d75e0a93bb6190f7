// ASSERT [NOT EXISTS] TOPIC name [WITH (PARTITIONS=n, REPLICAS=n)] [TIMEOUT n unit]: waits until
// the topic exists (or does not) with the given configuration, as ksqlDB's migrations tool and Java
// client expect. Success is an `assert_topic` entity; a failed assertion after the timeout is
// ksqlDB's 41700 (HTTP 417) with what was expected and what was found.

import { KsqlError, statementError } from '../common/errors.ts';
import { durationMs } from '../analyzer/aggregation-planner.ts';
import { WithProperties } from '../analyzer/with-properties.ts';
import type { Statement } from '../sql/ast.ts';
import type { StatementOutcome } from './engine-api.ts';
import type { ExecutorHost } from './statement-executor.ts';
import type { Session } from './engine-api.ts';

export const ASSERTION_FAILED = 41700;

const DEFAULT_TIMEOUT_MS = 1000;
const POLL_MS = 100;

type AssertTopic = Statement & { kind: 'AssertTopic' };

/** What does not hold now, or undefined when the assertion holds. */
async function unmet(host: ExecutorHost, s: AssertTopic, expected: ReadonlyMap<string, number>): Promise<string | undefined> {
  const topic = await host.log.describeTopic(s.topic);
  if (!s.exists) return topic ? `Topic ${s.topic} exists` : undefined;
  if (!topic) return `Topic ${s.topic} does not exist`;
  const actual: Record<string, number> = { partitions: topic.partitions, replicas: topic.replicas };
  const mismatches = [...expected].filter(([name, value]) => actual[name] !== value)
    .map(([name, value]) => `For config ${name}, expected ${value} got ${actual[name]}`);
  return mismatches.length > 0 ? `Mismatched configuration for topic ${s.topic}: ${mismatches.join(', ')}` : undefined;
}

export async function assertTopic(host: ExecutorHost, session: Session, s: AssertTopic, text: string): Promise<StatementOutcome> {
  const props = new WithProperties(s.properties);
  const expected = new Map<string, number>();
  for (const name of props.names()) {
    if (name !== 'PARTITIONS' && name !== 'REPLICAS') throw statementError(`Cannot assert unknown topic property: ${name}`, text);
    if (!s.exists) throw statementError('Cannot assert topic configurations for a topic that should not exist.', text);
    expected.set(name.toLowerCase(), props.int(name)!);
  }
  const configured = Number(host.property(session, 'ksql.assert.topic.default.timeout.ms'));
  const timeoutMs = s.timeout ? durationMs(s.timeout) : Number.isFinite(configured) && configured >= 0 ? configured : DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = await unmet(host, s, expected);
    if (problem === undefined) return { kind: 'AssertTopic', statement: text, topic: s.topic, exists: s.exists };
    if (Date.now() >= deadline) throw new KsqlError('ksql', `${problem}.`, { errorCode: ASSERTION_FAILED, statementText: text });
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}
