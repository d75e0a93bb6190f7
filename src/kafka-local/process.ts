// Starting and stopping JVM processes by pid: we only ever signal pids we started, and check the
// pid still runs a Kafka JVM first so a recycled pid is never hit.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { sleep } from './ready.ts';

export function javaArgs(libDir: string, log4jConfig: string, heap: string, mainClass: string, args: string[]): string[] {
  return [
    '-Xms64m',
    `-Xmx${heap}`,
    // Serial GC: small heaps on a shared 2-core machine; G1's extra threads buy nothing here.
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    '-cp',
    `${libDir}/*`,
    mainClass,
    ...args,
  ];
}

/** Runs a short-lived Java tool (the storage formatter) and fails with its output. */
export function runJava(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (e) => reject(new Error(`cannot run java: ${e.message} (is Java 17+ installed?)`)));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`java ${args.at(-1)} failed (exit ${code}):\n${out}`))));
  });
}

/**
 * Starts a long-running JVM with stdout/stderr appended to `logFile`. `detached` puts it in its own
 * process group so it outlives this process (the CLI); otherwise it dies with a Ctrl-C.
 */
export function spawnJava(args: string[], logFile: string, detached: boolean): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn('java', args, { stdio: ['ignore', fd, fd], detached });
    if (detached) child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

/** True when `pid` is alive and runs kafka.Kafka (guards against pid reuse). */
export function isKafkaPid(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // A zombie (state Z) has exited already; it only waits for its parent to reap it.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return cmdline.includes('kafka.Kafka') && state !== 'Z';
  } catch {
    return false; // no /proc entry: gone
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {}
}

/** Sends SIGTERM (or `sig`), waits up to `timeoutMs`, then SIGKILL; resolves once the pid is gone. */
export async function terminate(pid: number, timeoutMs = 15000, sig: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!isKafkaPid(pid)) return;
  signal(pid, sig);
  const deadline = Date.now() + timeoutMs;
  while (isKafkaPid(pid)) {
    if (Date.now() > deadline) {
      signal(pid, 'SIGKILL');
      break;
    }
    await sleep(100);
  }
  while (isKafkaPid(pid)) await sleep(50);
}

/** The last lines of a log file, for error messages about a broker that died while starting. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
