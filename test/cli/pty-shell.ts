// Drives `riffle cli` as a person would: in a pseudo-terminal made by util-linux `script`, typing
// keys (Enter, Tab, Ctrl-C) and waiting for what the screen shows, with ANSI control codes removed.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const RIFFLE = path.resolve(import.meta.dirname, '../../src/bin/riffle.ts');

export function ptyAvailable(): boolean {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

export class PtyShell {
  private readonly child: ChildProcess;
  private raw = '';
  /** How much of the screen text earlier waits have consumed. */
  private mark = 0;
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[], env: Record<string, string> = {}) {
    const command = [process.execPath, RIFFLE, 'cli', ...args].map(shellQuote).join(' ');
    // -q: no banner; -f: flush at once; -e: exit with the child's code; log to /dev/null.
    this.child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, COLUMNS: '80', LINES: '40', TERM: 'xterm', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (c: string) => (this.raw += c));
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (c: string) => (this.raw += c));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Everything shown so far, without terminal control sequences. */
  get screen(): string {
    // eslint-disable-next-line no-control-regex -- terminal escape sequences are what this removes
    return this.raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  }

  /** Types text; `\r` is Enter, `\t` Tab, `\x03` Ctrl-C, `\x04` Ctrl-D. */
  type(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /** Types each line followed by Enter, waiting for the (continuation) prompt between lines. */
  async typeLines(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      this.type(line + '\r');
      await delay(30);
    }
  }

  /**
   * Waits until text after the previous wait matches; returns that text up to the end of the match.
   * The bound only catches a hung shell: on a loaded machine starting one takes several seconds.
   */
  async waitFor(pattern: RegExp | string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const rest = this.screen.slice(this.mark);
      const m = typeof pattern === 'string' ? indexMatch(rest, pattern) : pattern.exec(rest);
      if (m) {
        const end = m.index + m[0].length;
        this.mark += end;
        return rest.slice(0, end);
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(pattern)}; screen after the last wait:\n${rest}`);
      await delay(20);
    }
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

function indexMatch(text: string, needle: string): { index: number; 0: string } | undefined {
  const index = text.indexOf(needle);
  return index < 0 ? undefined : { index, 0: needle };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
