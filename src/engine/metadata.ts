// LIST / SHOW / DESCRIBE / EXPLAIN: answers from the catalog, the log and the function registry.

import { explainStatement } from './explain.ts';
import { statementError } from '../common/errors.ts';
import type { Statement } from '../sql/ast.ts';
import { ENGINE_DEFAULTS } from './engine-config.ts';
import type { Session, StatementOutcome } from './engine-api.ts';
import type { ExecutorHost } from './statement-executor.ts';

export async function listOutcome(host: ExecutorHost, session: Session, s: Statement, text: string): Promise<StatementOutcome> {
  switch (s.kind) {
    case 'ListStreams':
      return { kind: 'SourceList', statement: text, sourceType: 'STREAM', sources: host.catalog.sources().filter((x) => x.type === 'STREAM'), extended: s.extended };
    case 'ListTables':
      return { kind: 'SourceList', statement: text, sourceType: 'TABLE', sources: host.catalog.sources().filter((x) => x.type === 'TABLE'), extended: s.extended };
    case 'ListQueries':
      return { kind: 'QueryList', statement: text, queries: queriesWithState(host), extended: s.extended };
    case 'ListTopics': {
      const topics = (await host.log.listTopics()).filter((t) => s.all || !t.name.startsWith('_'));
      return { kind: 'TopicList', statement: text, topics: topics.map((t) => ({ name: t.name, partitions: t.partitions, replicas: t.replicas })), extended: s.extended };
    }
    case 'ListProperties': {
      const names = new Set([...Object.keys(ENGINE_DEFAULTS), ...host.config.keys(), ...session.properties.keys()]);
      return {
        kind: 'PropertyList', statement: text,
        properties: [...names].sort().map((name) => ({ name, value: host.property(session, name) ?? '', overridden: session.properties.has(name) })),
      };
    }
    case 'ListFunctions':
      return { kind: 'FunctionList', statement: text, functions: host.functions.list() };
    case 'ListTypes':
      return { kind: 'TypeList', statement: text, types: host.catalog.types() };
    case 'ListVariables':
      return { kind: 'VariableList', statement: text, variables: [...session.variables].map(([name, value]) => ({ name, value })) };
    default:
      throw statementError(`Unexpected statement ${s.kind}`, text);
  }
}

function queriesWithState(host: ExecutorHost) {
  return host.catalog.queries().map((q) => {
    const r = host.runners.get(q.id);
    return { ...q, state: r?.error ? 'ERROR' as const : r?.paused ? 'PAUSED' as const : 'RUNNING' as const, error: r?.error?.message };
  });
}

export function describeOutcome(host: ExecutorHost, _session: Session, s: Statement, text: string): StatementOutcome {
  switch (s.kind) {
    case 'DescribeSource': {
      const src = host.catalog.source(s.name);
      if (!src) throw statementError(`Could not find STREAM/TABLE '${s.name}' in the Metastore`, text);
      const all = queriesWithState(host);
      return {
        kind: 'SourceDescriptions', statement: text, extended: s.extended, single: true,
        sources: [{ source: src, readQueries: all.filter((q) => q.sources.includes(src.name)), writeQueries: all.filter((q) => q.sinks.includes(src.name)) }],
      };
    }
    case 'DescribeSources': {
      const all = queriesWithState(host);
      return {
        kind: 'SourceDescriptions', statement: text, extended: s.extended, single: false,
        sources: host.catalog.sources().filter((x) => x.type === s.sourceType).map((src) => ({
          source: src, readQueries: all.filter((q) => q.sources.includes(src.name)), writeQueries: all.filter((q) => q.sinks.includes(src.name)),
        })),
      };
    }
    case 'DescribeFunction': {
      const name = s.name.toUpperCase();
      const scalar = host.functions.scalar(name);
      const agg = host.functions.aggregate(name);
      const table = host.functions.table(name);
      const doc = scalar?.doc ?? agg?.doc ?? table?.doc;
      if (!doc) throw statementError(`Can't find any functions with the name '${name}'`, text);
      return {
        kind: 'FunctionDescription', statement: text, name: doc.name,
        type: scalar ? 'SCALAR' : agg ? 'AGGREGATE' : 'TABLE', description: doc.description, signatures: doc.signatures,
      };
    }
    case 'Explain': {
      if (s.statement) return explainStatement(host, _session, s.statement, text);
      const id = s.queryId;
      const q = id ? host.catalog.queries().find((x) => x.id.toUpperCase() === id.toUpperCase()) : undefined;
      if (!q) throw statementError(`Query with id:${id} does not exist, use SHOW QUERIES to view the full set of queries.`, text);
      const sink = host.catalog.source(q.sinks[0] ?? '');
      const r = host.runners.get(q.id);
      const plan = r ? r.subs.map((sub, i) => `Sub-topology ${i}: reads ${sub.inputTopics.join(', ')}; writes ${sub.root.kind === 'Repartition' ? sub.root.topic : sub.root.kind === 'Sink' ? sub.root.step.topic : '(client)'}`).join('\n') : '';
      return {
        kind: 'QueryDescription', statement: text, query: queriesWithState(host).find((x) => x.id === q.id)!,
        schema: sink?.schema ?? { key: [], value: [] }, plan,
      };
    }
    default:
      throw statementError(`Unexpected statement ${s.kind}`, text);
  }
}
