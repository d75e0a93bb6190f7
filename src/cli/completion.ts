// Tab completion: keywords, plus stream / table / column / function names fetched from the server
// (SHOW STREAMS, SHOW TABLES, DESCRIBE, SHOW FUNCTIONS), cached until a DDL statement invalidates them.

import type { Session } from './session.ts';

const KEYWORDS = [
  'ADVANCE', 'ALL', 'ALTER', 'AND', 'ARRAY', 'AS', 'ASSERT', 'BETWEEN', 'BIGINT', 'BOOLEAN', 'BY', 'BYTES', 'CASE',
  'CAST', 'CHANGES', 'CREATE', 'DATE', 'DECIMAL', 'DEFINE', 'DELETE', 'DESCRIBE', 'DISTINCT', 'DOUBLE', 'DROP', 'ELSE',
  'EMIT', 'END', 'EXISTS', 'EXPLAIN', 'EXTENDED', 'FALSE', 'FINAL', 'FROM', 'FULL', 'FUNCTION', 'FUNCTIONS', 'GRACE',
  'GROUP', 'HAVING', 'HEADER', 'HEADERS', 'HOPPING', 'IF', 'IN', 'INNER', 'INSERT', 'INT', 'INTEGER', 'INTERVAL',
  'INTO', 'IS', 'JOIN', 'KEY', 'LEFT', 'LIKE', 'LIMIT', 'LIST', 'MAP', 'NOT', 'NULL', 'ON', 'OR', 'OUTER', 'PARTITION',
  'PARTITIONS', 'PAUSE', 'PERIOD', 'PRIMARY', 'PRINT', 'PROPERTIES', 'QUERIES', 'QUERY', 'REPLACE', 'RESUME', 'RETENTION',
  'RIGHT', 'RUN', 'SCRIPT', 'SECONDS', 'SELECT', 'SESSION', 'SET', 'SHOW', 'SINK', 'SIZE', 'SOURCE', 'STREAM', 'STREAMS',
  'STRING', 'STRUCT', 'TABLE', 'TABLES', 'TERMINATE', 'THEN', 'TIME', 'TIMESTAMP', 'TOPIC', 'TOPICS', 'TRUE', 'TUMBLING',
  'TYPE', 'TYPES', 'UNDEFINE', 'UNSET', 'VALUES', 'VARCHAR', 'VARIABLES', 'WHEN', 'WHERE', 'WINDOW', 'WITH', 'WITHIN',
];

/** After these words only a stream or table name makes sense. */
const SOURCE_CONTEXT = new Set(['FROM', 'JOIN', 'DESCRIBE', 'EXTENDED', 'INTO', 'STREAM', 'TABLE']);

interface Names {
  readonly sources: readonly string[];
  readonly columns: readonly string[];
  readonly functions: readonly string[];
}

const NO_NAMES: Names = { sources: [], columns: [], functions: [] };

export class Completer {
  private readonly session: Session;
  private names: Names = NO_NAMES;
  private loading: Promise<void> | undefined;
  private stale = true;

  constructor(session: Session) {
    this.session = session;
  }

  /** The server's names may have changed; fetch them again on the next completion. */
  invalidate(): void {
    this.stale = true;
  }

  /** Fetches the names now (deduplicated with a fetch already under way); never rejects. */
  refresh(): Promise<void> {
    if (this.loading === undefined) {
      this.stale = false;
      this.loading = fetchNames(this.session)
        .then((names) => { this.names = names; })
        .catch(() => {})
        .finally(() => { this.loading = undefined; });
    }
    return this.loading;
  }

  /** readline's completer contract: candidates for the word before the cursor, and that word. */
  async complete(line: string): Promise<[string[], string]> {
    if (this.stale) await this.refresh();
    else if (this.loading) await this.loading;
    const word = /[A-Za-z0-9_.$]*$/.exec(line)![0];
    const dot = word.lastIndexOf('.');
    const qualifier = dot < 0 ? '' : word.slice(0, dot + 1);
    const prefix = word.slice(dot + 1);
    const previous = /([A-Za-z_]+)\s+[A-Za-z0-9_.$]*$/.exec(line)?.[1]?.toUpperCase();
    let pool: readonly string[];
    if (qualifier !== '') pool = this.names.columns;
    else if (previous !== undefined && SOURCE_CONTEXT.has(previous)) pool = this.names.sources;
    else if (prefix === '') return [[], word];
    else pool = [...KEYWORDS, ...this.names.sources, ...this.names.columns, ...this.names.functions];
    const upper = prefix.toUpperCase();
    // Match the case the user types in: readline appends the rest of the candidate to the typed word.
    const lower = prefix !== '' && prefix === prefix.toLowerCase();
    const hits = new Set<string>();
    for (const name of pool) {
      if (!name.toUpperCase().startsWith(upper)) continue;
      const cased = lower && name === name.toUpperCase() ? name.toLowerCase() : name;
      if (cased.startsWith(prefix)) hits.add(qualifier + cased);
    }
    return [[...hits].sort(), word];
  }
}

async function fetchNames(session: Session): Promise<Names> {
  const client = session.client;
  const request = session.request();
  const listed = await client.ksql('SHOW STREAMS; SHOW TABLES;', request);
  const sources: string[] = [];
  for (const e of listed as { streams?: { name: string }[]; tables?: { name: string }[] }[]) {
    for (const s of [...(e.streams ?? []), ...(e.tables ?? [])]) sources.push(s.name);
  }
  const columns = new Set<string>();
  if (sources.length > 0) {
    const sql = sources.map((s) => `DESCRIBE \`${s.replace(/`/g, '``')}\`;`).join(' ');
    const described = await client.ksql(sql, request).catch((err: unknown) => (err as { entities?: unknown[] }).entities ?? []);
    for (const e of described as { sourceDescription?: { fields?: { name: string }[] } }[]) {
      for (const f of e.sourceDescription?.fields ?? []) columns.add(f.name);
    }
  }
  const functions = await client.ksql('SHOW FUNCTIONS;', request)
    .then((es) => (es as { functions?: { name: string }[] }[]).flatMap((e) => (e.functions ?? []).map((f) => f.name)))
    .catch(() => [] as string[]);
  return { sources, columns: [...columns], functions };
}
