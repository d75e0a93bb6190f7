// EXPLAIN <statement>: plans a query-running statement (SELECT, CREATE ... AS SELECT, INSERT INTO
// ... SELECT) without running it, as ksqlDB plans it in a sandbox: the id it would get, its
// output schema, sources, sinks and the plan's steps. Nothing is created or started.

import { planQuery } from '../analyzer/query-planner.ts';
import type { Step } from '../plan/steps.ts';
import type { Statement } from '../sql/ast.ts';
import { statementError } from '../common/errors.ts';
import type { Session, StatementOutcome } from './engine-api.ts';
import { internalTopicPrefix } from './persistent-query.ts';
import type { ExecutorHost } from './statement-executor.ts';

export function explainStatement(host: ExecutorHost, session: Session, s: Statement, text: string): StatementOutcome {
  const target = s.kind === 'CreateAsSelect' ? { name: s.name, query: s.query, id: `${s.sourceType === 'STREAM' ? 'CSAS' : 'CTAS'}_${s.name}` }
    : s.kind === 'InsertInto' ? { name: s.target, query: s.query, id: 'INSERTQUERY' }
    : s.kind === 'Select' ? { name: undefined, query: s.query, id: undefined }
    : undefined;
  if (!target) throw statementError('The provided statement does not run a ksql query', text);
  const persistent = target.name !== undefined;
  const queryId = persistent ? `${target.id}_${host.peekQueryNumber()}`
    : target.query.emit === undefined ? `query_${Date.now()}` : `transient_${target.query.from.kind === 'AliasedSource' ? target.query.from.name : 'JOIN'}_0`;
  const plan = planQuery(target.query, {
    source: (n) => host.catalog.source(n), functions: host.functions, types: (t) => host.catalog.type(t),
    queryId, internalTopicPrefix: internalTopicPrefix(host.serviceId, queryId), persistent, sinkName: target.name,
    newQueryPlanner: host.property(session, 'ksql.new.query.planner.enabled') === 'true',
  });
  const sink = target.name === undefined ? undefined : host.catalog.source(target.name);
  return {
    kind: 'QueryDescription', statement: text,
    query: {
      id: queryId, statement: text.replace(/^\s*EXPLAIN\s+/i, ''),
      sinks: target.name === undefined ? [] : [target.name], sinkTopics: sink ? [sink.topic] : [],
      sources: plan.sourceNames, state: undefined, error: undefined, queryType: persistent ? 'PERSISTENT' : 'PUSH',
    },
    schema: { key: plan.key, value: plan.value },
    // The sink step is added when the query starts; its line heads a persistent query's plan.
    plan: persistent
      ? ` > [ SINK ] ${target.name} | Schema: ${[...plan.key, ...plan.value].map((c) => c.name).join(', ')}\n${indent(describeSteps(plan.root))}`
      : describeSteps(plan.root),
  };
}

/** The plan's steps as an indented tree, the output first (ksqlDB's execution plan reads the same way). */
export function describeSteps(root: Step): string {
  const lines: string[] = [];
  const visit = (step: Step, depth: number): void => {
    const columns = step.layout.map((c) => c.name).join(', ');
    const detail = step.kind === 'Source' ? ` ${step.source.name} (topic ${step.source.topic})`
      : step.kind === 'Join' ? ` ${step.joinType} ${step.variant}`
      : step.kind === 'Rekey' && step.viaTopic ? ` via ${step.viaTopic}`
      : step.kind === 'Sink' ? ` to ${step.topic}`
      : '';
    lines.push(`${'\t'.repeat(depth)} > [ ${step.kind.toUpperCase()} ]${detail} | Schema: ${columns}`);
    if (step.kind === 'Join') {
      visit(step.left, depth + 1);
      visit(step.right, depth + 1);
    } else if ('input' in step) visit(step.input, depth + 1);
  };
  visit(root, 0);
  return lines.join('\n') + '\n';
}

function indent(text: string): string {
  return text.split('\n').map((l) => (l === '' ? l : `\t${l}`)).join('\n');
}
