// Request bodies of the ksqlDB API (KsqlRequest, QueryStreamArgs, CloseQueryArgs, InsertsStreamArgs),
// validated the way Jackson does, with its error wording ("Invalid JSON in request: ...", 40000).

import { badRequest, type WireError } from './errors.ts';

export type PropertyMap = Readonly<Record<string, string | number | boolean>>;

export interface KsqlRequest {
  readonly ksql: string | undefined;
  readonly streamsProperties: PropertyMap;
  readonly requestProperties: PropertyMap;
  readonly sessionVariables: PropertyMap;
  readonly commandSequenceNumber: number | undefined;
}

export interface QueryStreamArgs {
  readonly sql: string;
  readonly properties: PropertyMap;
  readonly sessionVariables: PropertyMap;
  readonly requestProperties: PropertyMap;
}

export interface InsertsStreamArgs {
  readonly target: string;
  readonly properties: PropertyMap;
}

export class RequestError extends Error {
  readonly wire: WireError;
  constructor(wire: WireError) {
    super(wire.body.message);
    this.wire = wire;
  }
}

function invalid(message: string): RequestError {
  return new RequestError(badRequest('Invalid JSON in request: ' + message));
}

/** Parses a JSON object body; anything else is a 40000. */
export function parseJsonObject(body: string | Buffer, what: string): Record<string, unknown> {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') throw invalid(`No content to map due to end-of-input`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw invalid((e as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'Array' : value === null ? 'null' : typeof value === 'string' ? 'String' : typeof value === 'number' ? 'Number' : 'Boolean';
    throw invalid(`Cannot construct instance of \`${what}\` from ${kind} value`);
  }
  return value as Record<string, unknown>;
}

function requiredString(obj: Record<string, unknown>, name: string): string {
  const v = obj[name];
  if (v === undefined || v === null) throw invalid(`Missing required creator property '${name}' (index 0)`);
  if (typeof v !== 'string') throw invalid(`Cannot deserialize value of type \`java.lang.String\` from ${jsonKind(v)} (property '${name}')`);
  return v;
}

function optionalString(obj: Record<string, unknown>, name: string): string | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`Cannot deserialize value of type \`java.lang.String\` from ${jsonKind(v)} (property '${name}')`);
  return v;
}

/** Shared by every request without properties (most of them): nothing to allocate. */
const NO_PROPERTIES: PropertyMap = Object.freeze({});

function propertyMap(obj: Record<string, unknown>, name: string): PropertyMap {
  const v = obj[name];
  if (v === undefined || v === null) return NO_PROPERTIES;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(`Cannot deserialize value of type \`java.util.Map\` from ${jsonKind(v)} (property '${name}')`);
  let empty = true;
  for (const _ in v) {
    empty = false;
    break;
  }
  if (empty) return NO_PROPERTIES;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === null || val === undefined) continue;
    out[k] = typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean' ? val : JSON.stringify(val);
  }
  return out;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'Array value';
  if (typeof v === 'object') return 'Object value';
  if (typeof v === 'number') return 'Integer value';
  if (typeof v === 'boolean') return 'Boolean value';
  return 'value';
}

export function parseKsqlRequest(body: string | Buffer): KsqlRequest {
  const obj = parseJsonObject(body, 'io.confluent.ksql.rest.entity.KsqlRequest');
  const seq = obj['commandSequenceNumber'];
  if (seq !== undefined && seq !== null && typeof seq !== 'number') {
    throw invalid(`Cannot deserialize value of type \`java.lang.Long\` from ${jsonKind(seq)} (property 'commandSequenceNumber')`);
  }
  return {
    ksql: optionalString(obj, 'ksql'),
    streamsProperties: propertyMap(obj, 'streamsProperties'),
    requestProperties: propertyMap(obj, 'requestProperties'),
    sessionVariables: propertyMap(obj, 'sessionVariables'),
    commandSequenceNumber: typeof seq === 'number' ? seq : undefined,
  };
}

export function parseQueryStreamArgs(body: string | Buffer): QueryStreamArgs {
  const obj = parseJsonObject(body, 'io.confluent.ksql.rest.entity.QueryStreamArgs');
  return {
    sql: requiredString(obj, 'sql'),
    properties: propertyMap(obj, 'properties'),
    sessionVariables: propertyMap(obj, 'sessionVariables'),
    requestProperties: propertyMap(obj, 'requestProperties'),
  };
}

export function parseCloseQueryArgs(body: string | Buffer): { queryId: string } {
  const obj = parseJsonObject(body, 'io.confluent.ksql.rest.entity.CloseQueryArgs');
  return { queryId: requiredString(obj, 'queryId') };
}

export function parseInsertsStreamArgs(line: string): InsertsStreamArgs {
  const obj = parseJsonObject(line, 'io.confluent.ksql.rest.entity.InsertsStreamArgs');
  return { target: requiredString(obj, 'target'), properties: propertyMap(obj, 'properties') };
}

export function parseTerminateRequest(body: string | Buffer): { deleteTopicList: readonly string[] } {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return { deleteTopicList: [] };
  const obj = parseJsonObject(text, 'io.confluent.ksql.rest.entity.ClusterTerminateRequest');
  const list = obj['deleteTopicList'];
  if (list === undefined || list === null) return { deleteTopicList: [] };
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
    throw invalid(`Cannot deserialize value of type \`java.util.List\` from ${jsonKind(list)} (property 'deleteTopicList')`);
  }
  return { deleteTopicList: list as string[] };
}

/** ksqlDB's Identifiers.getIdentifierText: quoted names keep their case, others are upper-cased. */
export function identifierText(name: string): string {
  const t = name.trim();
  if (t.length >= 2 && ((t.startsWith('`') && t.endsWith('`')) || (t.startsWith('"') && t.endsWith('"')))) return t.slice(1, -1);
  return t.toUpperCase();
}
