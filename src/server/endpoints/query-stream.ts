// POST /query-stream (HTTP/1.1 chunked or HTTP/2): runs a SELECT; Accept picks delimited (default),
// one JSON array (application/json) or the StreamedRow array (application/vnd.ksql.v1+json).

import type { ServerContext } from '../context.ts';
import { parseOrAnswer, readBody } from '../respond.ts';
import type { Route } from '../router.ts';
import { runQuery } from '../run-query.ts';
import { DELIMITED, JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';
import type { QueryFormat } from '../wire/query-formats.ts';
import { parseQueryStreamArgs } from '../wire/requests.ts';

export function queryStreamRoutes(ctx: ServerContext): Route[] {
  return [
    {
      method: 'POST', path: '/query-stream', produces: [DELIMITED, JSON_TYPE, KSQL_V1_JSON], wildcardPreference: [DELIMITED],
      handler: async (ex, { accept }) => {
        const body = await readBody(ctx, ex);
        if (body === undefined) return;
        const args = parseOrAnswer(ex, () => parseQueryStreamArgs(body));
        if (args === undefined) return;
        const format: QueryFormat = accept === KSQL_V1_JSON ? 'streamed-row' : accept === JSON_TYPE ? 'json' : 'delimited';
        await runQuery(ctx, ex, { sql: args.sql, properties: args.properties, sessionVariables: args.sessionVariables }, format, true);
      },
    },
  ];
}
