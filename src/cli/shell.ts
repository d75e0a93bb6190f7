// The read-eval-print loop over lines of input: interactive (prompt `ksql> `, continuation prompt,
// history, tab completion, Ctrl-C ends a running query or clears the input, Ctrl-D / exit quits)
// or fed from a pipe (no prompt, stops at the first failing statement).

import readline from 'node:readline';
import type { Completer } from './completion.ts';
import { HISTORY_SIZE, loadHistory, saveHistory } from './history.ts';
import type { Session } from './session.ts';
import { StatementBuffer } from './statement-buffer.ts';

export const PROMPT = 'ksql> ';
export const CONTINUATION_PROMPT = '>     ';

export interface ShellOptions {
  readonly session: Session;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Prompts, history, completion and line editing; false for a script piped in. */
  readonly interactive: boolean;
  readonly completer?: Completer;
  /** Where history persists; undefined keeps it in memory only. */
  readonly historyFile?: string;
  /** Printed by `version` and `server`. */
  readonly describeServer?: () => string;
}

const HELP = `Statements end with ';' and may span several lines. Client-side commands:
  SET 'property' = 'value';     override a property for the following statements
  UNSET 'property';             remove an override
  DEFINE name = 'value';        define a variable, referenced as \${name}
  UNDEFINE name;                remove a variable
  RUN SCRIPT 'file.sql';        run the statements of a file
  SELECT ... / PRINT ...;       stream results; Ctrl-C ends the query and returns to the prompt
  history                       show the input history
  server, version               show the server this shell talks to
  help                          this text
  exit, quit, Ctrl-D            leave the shell
Tab completes keywords and stream, table, column and function names.
`;

type LineResult = 'ok' | 'failed' | 'exit';

/** Runs until the input ends or `exit`; resolves to the process exit code. */
export async function runShell(opts: ShellOptions): Promise<number> {
  const { session, output, interactive } = opts;
  const buffer = new StatementBuffer();
  let history: string[] = interactive && opts.historyFile !== undefined ? loadHistory(opts.historyFile) : [];

  const rl = readline.createInterface({
    input: opts.input,
    output: interactive ? output : undefined,
    terminal: interactive,
    prompt: PROMPT,
    history: [...history],
    historySize: interactive ? HISTORY_SIZE : 0,
    removeHistoryDuplicates: true,
    completer: interactive && opts.completer
      ? (line: string, callback: (err: Error | null, result: [string[], string]) => void) => {
        opts.completer!.complete(line).then((r) => callback(null, r), () => callback(null, [[], line]));
      }
      : undefined,
  });
  rl.on('history', (h: string[]) => {
    history = h;
    if (opts.historyFile !== undefined) saveHistory(opts.historyFile, h);
  });

  const handleLine = async (line: string): Promise<LineResult> => {
    if (!buffer.pending) {
      const command = line.trim().replace(/;$/, '').trim().toLowerCase();
      switch (command) {
        case 'exit':
        case 'quit':
          return 'exit';
        case 'help':
          output.write(HELP);
          return 'ok';
        case 'history':
          output.write([...history].reverse().map((h, i) => `${String(i + 1).padStart(4)}  ${h}\n`).join(''));
          return 'ok';
        case 'server':
        case 'version':
          output.write(`${opts.describeServer?.() ?? ''}\n`);
          return 'ok';
      }
    }
    const statements = buffer.push(line);
    session.clearInterrupt();
    for (const s of statements ?? []) {
      if (!(await session.execute(s.text))) return 'failed';
    }
    return 'ok';
  };

  let busy = false;
  const onInterrupt = (): void => {
    if (busy || session.queryRunning) {
      void session.interrupt();
      return;
    }
    if (!interactive) return;
    // As in a terminal: abandon the statement being typed and start over.
    buffer.clear();
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    output.write('^C\n');
    showPrompt();
  };

  const showPrompt = (): void => {
    rl.setPrompt(buffer.pending ? CONTINUATION_PROMPT : PROMPT);
    rl.prompt();
  };

  rl.on('SIGINT', onInterrupt);
  process.on('SIGINT', onInterrupt);
  try {
    return await new Promise<number>((resolve) => {
      const queue: string[] = [];
      let closed = false;
      let exitCode = 0;
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        rl.close();
        resolve(exitCode);
      };
      // Lines are handled one at a time, in order: a pasted or piped script arrives all at once.
      const pump = async (): Promise<void> => {
        if (busy) return;
        busy = true;
        while (queue.length > 0 && !finished) {
          const result = await handleLine(queue.shift()!);
          if (result === 'exit') return finish();
          if (result === 'failed' && !interactive) {
            exitCode = 1;
            return finish();
          }
        }
        busy = false;
        if (closed) {
          // Input ended. A piped script's last statement may lack its ';': run it anyway.
          if (!interactive && buffer.pending && exitCode === 0) {
            const ok = await handleLine(';');
            if (ok === 'failed') exitCode = 1;
          }
          if (interactive) output.write('\n');
          return finish();
        }
        if (interactive) showPrompt();
      };
      rl.on('line', (line) => {
        queue.push(line);
        void pump();
      });
      rl.on('close', () => {
        closed = true;
        // Ctrl-D during a query ends the query as well as the shell; a piped script's end does not.
        if (interactive && session.queryRunning) void session.interrupt();
        void pump();
      });
      if (interactive) showPrompt();
    });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
