// The three query-result encodings of /query and /query-stream, byte for byte as ksqlDB writes them:
// delimited lines, one JSON array, and the StreamedRow array (unbuffered for push, last-row-held for
// pull). Each event returns the chunks to write; the transport sends each chunk as one write/frame.

import { formatType, type SqlType } from '../../common/sql-type.ts';
import type { QueryColumn, QueryRow } from '../../engine/engine-api.ts';
import type { GenericErrorJson } from './errors.ts';
import { DELIMITED, JSON_TYPE, KSQL_V1_JSON } from './media-types.ts';
import { headerSchema } from './schema-info.ts';
import { encodeRow } from './values.ts';

export type QueryFormat = 'delimited' | 'json' | 'streamed-row';
export type FinalMessage = 'Limit Reached' | 'Query Completed';

export interface QueryMeta {
  readonly queryId: string;
  readonly columns: readonly QueryColumn[];
}

export interface QueryWriter {
  readonly contentType: string;
  header(): string[];
  row(row: QueryRow): string[];
  error(err: GenericErrorJson): string[];
  final(message: FinalMessage): string[];
  end(): string[];
}

// The column part of a header, by column list: repeated queries (prepared pull queries) share one
// column list, so their headers differ only in the query id.
const columnsJson = new WeakMap<readonly QueryColumn[], string>();
const schemaJson = new WeakMap<readonly QueryColumn[], string>();

/** QueryResponseMetadata: `{"queryId":...,"columnNames":[...],"columnTypes":[...]}`. */
export function metadataJson(meta: QueryMeta): string {
  let columns = columnsJson.get(meta.columns);
  if (columns === undefined) {
    columns = `"columnNames":${JSON.stringify(meta.columns.map((c) => c.name))},"columnTypes":${JSON.stringify(meta.columns.map((c) => formatType(c.type)))}`;
    columnsJson.set(meta.columns, columns);
  }
  return `{"queryId":${JSON.stringify(meta.queryId)},${columns}}`;
}

/** StreamedRow elements. */
export function streamedHeader(meta: QueryMeta): string {
  let schema = schemaJson.get(meta.columns);
  if (schema === undefined) {
    schema = JSON.stringify(headerSchema(meta.columns));
    schemaJson.set(meta.columns, schema);
  }
  return `{"header":{"queryId":${JSON.stringify(meta.queryId)},"schema":${schema}}}`;
}

export function streamedRow(row: QueryRow, columns: readonly QueryColumn[]): string {
  const values = encodeRow(row.values, columns.map((c) => c.type));
  const body = row.tombstone ? `{"columns":${values},"tombstone":true}` : `{"columns":${values}}`;
  return row.sourceHost === undefined ? `{"row":${body}}` : `{"row":${body},"sourceHost":${JSON.stringify(row.sourceHost)}}`;
}

export function streamedError(err: GenericErrorJson): string {
  return JSON.stringify({ errorMessage: err });
}

export function streamedFinal(message: string): string {
  return JSON.stringify({ finalMessage: message });
}

/**
 * `buffered` (pull queries): the last element is held back so the array closes without a final
 * message. Unbuffered (push): each element ends in `,\n`; a final message or `]` closes the array.
 */
const columnTypes = new WeakMap<readonly QueryColumn[], readonly SqlType[]>();

export function createQueryWriter(format: QueryFormat, meta: QueryMeta, buffered: boolean): QueryWriter {
  let types = columnTypes.get(meta.columns);
  if (types === undefined) {
    types = meta.columns.map((c) => c.type);
    columnTypes.set(meta.columns, types);
  }
  switch (format) {
    case 'delimited':
      return {
        contentType: DELIMITED,
        header: () => [metadataJson(meta) + '\n'],
        // Tombstones are dropped in this format, as ksqlDB does.
        row: (r) => (r.tombstone ? [] : [encodeRow(r.values, types) + '\n']),
        error: (e) => [JSON.stringify(e) + '\n'],
        final: () => [],
        end: () => [],
      };
    case 'json':
      return {
        contentType: JSON_TYPE,
        header: () => ['[' + metadataJson(meta)],
        row: (r) => (r.tombstone ? [] : [',' + encodeRow(r.values, types)]),
        error: (e) => [',' + JSON.stringify(e)],
        final: () => [],
        end: () => [']'],
      };
    case 'streamed-row':
      return buffered ? bufferedStreamedRowWriter(meta) : pushStreamedRowWriter(meta);
  }
}

function pushStreamedRowWriter(meta: QueryMeta): QueryWriter {
  let finalElement: string | undefined;
  return {
    contentType: KSQL_V1_JSON,
    header: () => ['[' + streamedHeader(meta) + ',\n'],
    row: (r) => [streamedRow(r, meta.columns) + ',\n'],
    error: (e) => [streamedError(e) + ',\n'],
    final: (m) => {
      finalElement = streamedFinal(m);
      return [];
    },
    // The final message and the closing bracket go out together, so the last line is `{...}]`.
    end: () => [(finalElement ?? '') + ']'],
  };
}

function bufferedStreamedRowWriter(meta: QueryMeta): QueryWriter {
  let prefix = '[';
  let held = '';
  const push = (element: string): string[] => {
    const out = prefix + held + ',\n';
    prefix = '';
    held = element;
    return [out];
  };
  return {
    contentType: KSQL_V1_JSON,
    header: () => {
      held = streamedHeader(meta);
      return [];
    },
    row: (r) => push(streamedRow(r, meta.columns)),
    error: (e) => push(streamedError(e)),
    final: (m) => push(streamedFinal(m)),
    end: () => [prefix + held + ']'],
  };
}
