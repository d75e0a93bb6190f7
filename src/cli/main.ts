// `riffle cli [URL] [-e SQL] [-f FILE] [--define name=value] [--history-file F]`: picks the mode
// (one-shot -e / -f, a script piped into stdin, or the interactive shell) and returns the exit code.

import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Completer } from './completion.ts';
import { formatError } from './error-format.ts';
import { RestClient, type ServerInfo } from './rest-client.ts';
import { Session, type Output } from './session.ts';
import { runShell } from './shell.ts';

export const DEFAULT_SERVER = 'http://localhost:8088';

const USAGE = `Usage: riffle cli [URL] [options]     (URL defaults to ${DEFAULT_SERVER})
  -e, --execute SQL        run the statements and exit
  -f, --file FILE          run the statements of FILE and exit
  -d, --define NAME=VALUE  define a variable (repeatable)
  -u, --user USER          user name, when the server has authentication.method=BASIC
  -p, --password PASSWORD  that user's password (asked for when -u is given without it)
      --history-file FILE  where to keep the input history (default ~/.riffle_history,
                           or $RIFFLE_HISTORY_FILE; '' for none)
  -h, --help               this text
Without -e or -f, a script piped into stdin is run; a terminal gets the interactive shell.
`;

export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { readonly columns?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const processIo = (): CliIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        execute: { type: 'string', short: 'e' },
        file: { type: 'string', short: 'f' },
        define: { type: 'string', short: 'd', multiple: true },
        user: { type: 'string', short: 'u' },
        password: { type: 'string', short: 'p' },
        'history-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 1 || (values.execute !== undefined && values.file !== undefined)) {
    io.stderr.write(USAGE);
    return 2;
  }

  let client: RestClient;
  try {
    const password = values.user === undefined ? undefined : values.password ?? await askPassword(io, values.user);
    client = new RestClient(positionals[0] ?? DEFAULT_SERVER, values.user === undefined ? undefined : { user: values.user, password: password ?? '' });
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const interactive = values.execute === undefined && values.file === undefined && io.stdin.isTTY === true;
  const out = output(io.stdout, io.env);
  // Scripts report errors on stderr so that their output stays clean; a person sees both anyway.
  const err = interactive ? out : output(io.stderr, io.env);
  let completer: Completer | undefined;
  const session = new Session({ client, out, err, onCatalogChange: () => completer?.invalidate() });
  for (const d of values.define ?? []) {
    const eq = d.indexOf('=');
    if (eq <= 0) {
      io.stderr.write(`--define expects NAME=VALUE, got '${d}'\n`);
      return 2;
    }
    session.variables.set(d.slice(0, eq).toUpperCase(), { name: d.slice(0, eq), value: d.slice(eq + 1) });
  }

  // -e / -f: Ctrl-C (SIGINT) ends a running query, or else stops before the next statement.
  // The shell (runShell) handles Ctrl-C itself.
  const onInterrupt = (): void => void session.interrupt();
  if (values.execute !== undefined || values.file !== undefined) process.on('SIGINT', onInterrupt);
  try {
    if (values.execute !== undefined) return (await session.runScript(values.execute)) ? 0 : 1;
    if (values.file !== undefined) {
      let text: string;
      try {
        text = await readFile(values.file, 'utf8');
      } catch (e) {
        io.stderr.write(`Cannot read ${values.file}: ${(e as Error).message}\n`);
        return 1;
      }
      return (await session.runScript(text, values.file)) ? 0 : 1;
    }
    if (!interactive) return await runShell({ session, input: io.stdin, output: io.stdout, interactive: false });

    const info = await client.info().catch((e: unknown) => e);
    io.stdout.write(banner(client.baseUrl.href, info));
    completer = new Completer(session);
    void completer.refresh();
    const historyFile = values['history-file'] ?? io.env.RIFFLE_HISTORY_FILE ?? path.join(os.homedir(), '.riffle_history');
    return await runShell({
      session,
      input: io.stdin,
      output: io.stdout,
      interactive: true,
      completer,
      historyFile: historyFile === '' ? undefined : historyFile,
      describeServer: () => serverLine(client.baseUrl.href, info),
    });
  } finally {
    process.off('SIGINT', onInterrupt);
    client.dispose();
  }
}

function output(stream: NodeJS.WritableStream & { readonly columns?: number }, env: CliIo['env']): Output {
  return {
    write: (text) => void stream.write(text),
    // A terminal's width follows resizes; a pipe (or a terminal of unknown size) gets $COLUMNS or 80.
    get columns() {
      return stream.columns || Number(env.COLUMNS) || 80;
    },
  };
}

function serverLine(url: string, info: ServerInfo | unknown): string {
  if (isServerInfo(info)) return `Server v${info.version} at ${url} (status: ${info.serverStatus})`;
  return `Server at ${url} (not reachable: ${formatError(info).trim()})`;
}

function banner(url: string, info: ServerInfo | unknown): string {
  return `Riffle shell. ${serverLine(url, info)}\n` +
    `Statements end with ';'. Type 'help' for help, 'exit' or Ctrl-D to leave.\n\n`;
}

function isServerInfo(v: unknown): v is ServerInfo {
  return typeof v === 'object' && v !== null && typeof (v as ServerInfo).version === 'string';
}

/** Reads a password from the terminal without echoing it (ksqlDB's CLI asks the same way). */
function askPassword(io: CliIo, user: string): Promise<string> {
  if (io.stdin.isTTY !== true) return Promise.reject(new Error(`-u ${user} needs -p PASSWORD when stdin is not a terminal`));
  io.stdout.write('Enter password: ');
  const stdin = io.stdin as NodeJS.ReadStream;
  stdin.setRawMode?.(true);
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (err?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stdout.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
