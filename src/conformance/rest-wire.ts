// Stand-in for the server's JSON rendering, used only by the engine-backed (debug) REST driver:
// entities and StreamedRows as ksqlDB's /ksql and /query would print them (Java number lexemes,
// full decimal scale, base64 bytes). The default HTTP driver gets the real server's rendering.

import { formatType, quoteName, type SqlType } from '../common/sql-type.ts';
import { Decimal } from '../common/decimal.ts';
import { formatDouble } from '../common/java-number.ts';
import type { QueryColumn, StatementOutcome } from '../engine/engine-api.ts';

const ENTITY_TYPES: Record<StatementOutcome['kind'], string | undefined> = {
  CommandStatus: 'currentStatus',
  Warning: 'warning_entity',
  SourceList: undefined,
  SourceDescriptions: undefined,
  QueryList: 'queries',
  QueryDescription: 'queryDescription',
  TopicList: 'kafka_topics',
  PropertyList: 'properties',
  FunctionList: 'function_names',
  FunctionDescription: 'describe_function',
  TypeList: 'type_list',
  VariableList: 'variables',
  TerminateTransient: 'terminate_query',
  AssertTopic: 'assert_topic',
  None: undefined,
};

/** The /ksql entity of one statement outcome as JSON text; undefined when ksqlDB returns none. */
export function entityJson(o: StatementOutcome): string | undefined {
  if (o.kind === 'None') return undefined;
  let type = ENTITY_TYPES[o.kind];
  if (o.kind === 'SourceList') type = o.sourceType === 'STREAM' ? 'streams' : 'tables';
  if (o.kind === 'SourceDescriptions') type = o.single ? 'sourceDescription' : 'source_descriptions';
  const entity: Record<string, unknown> = { '@type': type, statementText: o.statement };
  if (o.kind === 'CommandStatus') {
    entity['commandId'] = o.commandId;
    entity['commandStatus'] = { status: 'SUCCESS', message: o.message, ...(o.queryId ? { queryId: o.queryId } : {}) };
    entity['commandSequenceNumber'] = -1;
  }
  if (o.kind === 'Warning') entity['message'] = o.message;
  entity['warnings'] = [];
  return JSON.stringify(entity);
}

/** `` `ID` STRING KEY, `COUNT` BIGINT `` as in a /query header. */
export function headerSchema(columns: readonly QueryColumn[]): string {
  return columns.map((c) => `${quoteName(c.name)} ${formatType(c.type)}${c.isKey ? ' KEY' : ''}`).join(', ');
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** One SQL value as ksqlDB's REST JSON, guided by its type when known. */
export function valueJson(v: unknown, type: SqlType | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Decimal) return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (typeof v === 'number') {
    switch (type?.kind) {
      case 'DOUBLE':
        return Number.isFinite(v) ? formatDouble(v) : JSON.stringify(formatDouble(v));
      case 'TIMESTAMP':
        return JSON.stringify(new Date(v).toISOString().slice(0, -1));
      case 'DATE':
        return JSON.stringify(new Date(v * 86_400_000).toISOString().slice(0, 10));
      case 'TIME': {
        const d = new Date(v);
        return JSON.stringify(`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
          (d.getUTCMilliseconds() ? `.${pad(d.getUTCMilliseconds(), 3)}` : ''));
      }
      default:
        return Number.isInteger(v) ? String(v) : formatDouble(v);
    }
  }
  if (Array.isArray(v)) {
    const el = type?.kind === 'ARRAY' ? type.element : undefined;
    return '[' + v.map((x) => valueJson(x, el)).join(',') + ']';
  }
  if (v instanceof Map) {
    const vt = type?.kind === 'MAP' ? type.value : undefined;
    return '{' + [...v].map(([k, x]) => `${JSON.stringify(String(k))}:${valueJson(x, vt)}`).join(',') + '}';
  }
  if (typeof v === 'object') {
    const fields = type?.kind === 'STRUCT' ? type.fields : [];
    return '{' + Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${JSON.stringify(k)}:${valueJson(x, fields.find((f) => f.name === k)?.type)}`).join(',') + '}';
  }
  return JSON.stringify(String(v));
}
