// A shell session: client-side properties (SET/UNSET) and variables (DEFINE/UNDEFINE) sent with
// every request, and the execution of one statement or a whole script, printing what it returns.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { splitStatements } from '../sql/split.ts';
import { substituteVariables } from '../sql/variables.ts';
import { classifyStatement } from './client-statement.ts';
import { formatError, type StatementOrigin } from './error-format.ts';
import { RestError, type RestClient, type StatementRequest, type StreamingQuery } from './rest-client.ts';
import { BoxTable, formatValue } from './render.ts';
import { renderEntity } from './render-entities.ts';

export interface Output {
  write(text: string): void;
  /** Columns available for query results. */
  readonly columns: number;
}

export interface SessionOptions {
  readonly client: RestClient;
  readonly out: Output;
  /** Where errors go; defaults to `out`. */
  readonly err?: Output;
  /** Called after a statement that may add or drop streams, tables or columns. */
  readonly onCatalogChange?: () => void;
  /** Directory RUN SCRIPT paths are relative to. */
  readonly cwd?: string;
}

/** Nested RUN SCRIPTs deeper than this are refused (a script that runs itself). */
const MAX_SCRIPT_DEPTH = 16;

export class Session {
  readonly properties = new Map<string, string>();
  /** Keyed by upper-cased name (variables are case-insensitive); the value keeps the name as defined. */
  readonly variables = new Map<string, { readonly name: string; readonly value: string }>();
  private readonly opts: SessionOptions;
  private current: StreamingQuery | undefined;
  private depth = 0;
  /** Ctrl-C while no query ran: the script being run stops before its next statement. */
  private stopRequested = false;

  constructor(opts: SessionOptions) {
    this.opts = opts;
  }

  get client(): RestClient {
    return this.opts.client;
  }

  /** Whether a query is streaming (Ctrl-C then ends it instead of clearing the input). */
  get queryRunning(): boolean {
    return this.current !== undefined;
  }

  /**
   * Ctrl-C: ends the running query (a script then goes on with its next statement); with no query
   * running, stops the script being run. Returns whether a query was ended.
   */
  async interrupt(): Promise<boolean> {
    const q = this.current;
    if (q === undefined) {
      this.stopRequested = true;
      return false;
    }
    await q.close();
    return true;
  }

  /** Forgets an earlier Ctrl-C; called before each new input is run. */
  clearInterrupt(): void {
    this.stopRequested = false;
  }

  request(): StatementRequest {
    return {
      properties: Object.fromEntries(this.properties),
      variables: Object.fromEntries([...this.variables.values()].map((v) => [v.name, v.value])),
    };
  }

  /** Runs every statement of `text`, stopping at the first failure; true if all succeeded. */
  async runScript(text: string, fileName?: string): Promise<boolean> {
    for (const s of splitStatements(text)) {
      if (this.stopRequested) {
        this.errors.write('Script interrupted\n');
        return false;
      }
      const file = fileName === undefined ? undefined : { name: fileName, line: s.pos.line, column: s.pos.column };
      if (!(await this.execute(s.text, file))) return false;
    }
    return true;
  }

  /** Runs one statement and prints its result or error; true on success. */
  async execute(text: string, file?: StatementOrigin['file']): Promise<boolean> {
    const origin: StatementOrigin = file === undefined ? { text } : { text, file };
    const out = this.opts.out;
    const statement = classifyStatement(text);
    try {
      switch (statement.kind) {
        case 'set':
          return await this.set(statement.name, this.substitute(statement.value));
        case 'unset': {
          const old = this.properties.get(statement.name);
          this.properties.delete(statement.name);
          out.write(old === undefined
            ? `Local property '${statement.name}' was not set.\n`
            : `Successfully unset local property '${statement.name}' (value was '${old}').\n`);
          return true;
        }
        case 'define':
          this.variables.set(statement.name.toUpperCase(), { name: statement.name, value: this.substitute(statement.value) });
          return true;
        case 'undefine':
          if (!this.variables.delete(statement.name.toUpperCase())) out.write(`Variable '${statement.name}' is not defined.\n`);
          return true;
        case 'runScript':
          return await this.runScriptFile(this.substitute(statement.path));
        case 'query':
          return await this.runQuery(statement.text, origin);
        case 'server': {
          const ok = await this.runStatement(statement.text, origin);
          if (ok && statement.changesCatalog) this.opts.onCatalogChange?.();
          return ok;
        }
      }
    } catch (err) {
      this.errors.write(formatError(err, origin));
      return false;
    }
  }

  private get errors(): Output {
    return this.opts.err ?? this.opts.out;
  }

  private substitute(text: string): string {
    return substituteVariables(text, new Map([...this.variables].map(([k, v]) => [k, v.value])));
  }

  private async set(name: string, value: string): Promise<boolean> {
    try {
      await this.client.isValidProperty(name);
    } catch (err) {
      // A server without the endpoint (404) cannot say no; anything else is its refusal.
      if (!(err instanceof RestError && err.status === 404)) throw err;
    }
    const old = this.properties.get(name);
    this.properties.set(name, value);
    this.opts.out.write(old === undefined
      ? `Successfully changed local property '${name}' to '${value}'. Use the UNSET command to revert your change.\n`
      : `Successfully changed local property '${name}' from '${old}' to '${value}'.\n`);
    return true;
  }

  private async runScriptFile(file: string): Promise<boolean> {
    if (this.depth >= MAX_SCRIPT_DEPTH) throw new Error(`RUN SCRIPT nested more than ${MAX_SCRIPT_DEPTH} deep: ${file}`);
    const text = await readFile(path.resolve(this.opts.cwd ?? process.cwd(), file), 'utf8');
    this.depth++;
    try {
      return await this.runScript(text, file);
    } finally {
      this.depth--;
    }
  }

  private async runStatement(text: string, origin: StatementOrigin): Promise<boolean> {
    const out = this.opts.out;
    let entities: unknown[];
    try {
      entities = await this.client.ksql(text, this.request());
    } catch (err) {
      if (err instanceof RestError) for (const e of err.entities) out.write(renderEntity(e));
      throw err;
    }
    let ok = true;
    for (const e of entities) {
      const status = (e as { commandStatus?: { status?: string; message?: string } }).commandStatus;
      if (status?.status === 'ERROR') {
        this.errors.write(formatError(new RestError(200, 50000, status.message ?? 'Command failed'), origin));
        ok = false;
      } else {
        out.write(renderEntity(e));
      }
    }
    return ok;
  }

  /** Streams a SELECT / PRINT as a boxed table until it ends or interrupt() closes it. */
  private async runQuery(text: string, origin: StatementOrigin): Promise<boolean> {
    const out = this.opts.out;
    let table: BoxTable | undefined;
    const query = /^\s*PRINT\b/i.test(text) ? this.client.print(text, this.request(), (line) => out.write(`${line}\n`)) : this.client.queryStream(text, this.request(), {
      onHeader: (meta) => {
        table = new BoxTable(meta.columnNames, out.columns);
        out.write(table.header(meta.columnNames));
      },
      onRow: (row) => {
        if (table === undefined) table = new BoxTable(row.map((_, i) => `COL${i}`), out.columns);
        out.write(table.line(row.map(formatValue)));
      },
    });
    this.current = query;
    try {
      const end = await query.done;
      if (table !== undefined) out.write(table.border());
      if (end.kind === 'closed') out.write('Query terminated\n');
      if (end.kind === 'error') {
        this.errors.write(formatError(end.error, origin));
        return false;
      }
      return true;
    } finally {
      this.current = undefined;
    }
  }
}
