// POST /query (the old API, migrated to the query-stream handler as ksqlDB does): a KsqlRequest with
// one SELECT (or PRINT, answered with text lines by run-print.ts); the StreamedRow array for application/json, v1+json or no Accept, delimited otherwise.

import type { ServerContext } from '../context.ts';
import { parseOrAnswer, readBody, sendError } from '../respond.ts';
import type { Route } from '../router.ts';
import { isPrintStatement, runPrint } from '../run-print.ts';
import { runQuery } from '../run-query.ts';
import { badRequest } from '../wire/errors.ts';
import { DELIMITED, JSON_TYPE, KSQL_V1_JSON } from '../wire/media-types.ts';
import { parseKsqlRequest } from '../wire/requests.ts';

export function queryRoutes(ctx: ServerContext): Route[] {
  return [
    {
      method: 'POST', path: '/query', produces: [DELIMITED, KSQL_V1_JSON, JSON_TYPE], wildcardPreference: [DELIMITED],
      handler: async (ex, { accept }) => {
        const body = await readBody(ctx, ex);
        if (body === undefined) return;
        const request = parseOrAnswer(ex, () => parseKsqlRequest(body));
        if (request === undefined) return;
        if (request.ksql === undefined || request.ksql.trim() === '') return sendError(ex, badRequest('"ksql" field must be populated'));
        const query = { sql: request.ksql, properties: request.streamsProperties, sessionVariables: request.sessionVariables };
        if (isPrintStatement(request.ksql)) return runPrint(ctx, ex, query, accept ?? KSQL_V1_JSON);
        const format = accept === DELIMITED ? 'delimited' : 'streamed-row';
        await runQuery(ctx, ex, query, format, false);
      },
    },
  ];
}
