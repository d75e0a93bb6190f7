// Readiness checks for a starting broker: the port accepts connections, then the cluster's metadata
// answers and lists the expected brokers (a port can accept before the broker serves requests).
import { Admin } from '@platformatic/kafka';
import { createConnection, createServer } from 'node:net';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function portAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A port the OS says is free right now (racy by nature; good enough on loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on `port` and we can bind it. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Polls until `check` resolves true. `alive` lets the caller stop early when the process died,
 * with its own message (e.g. the tail of the broker's log).
 */
export async function waitUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  alive: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = alive();
    if (dead !== undefined) throw new Error(`${what}: ${dead}`);
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`${what}: timed out after ${timeoutMs} ms`);
}

/** Whether the metadata reached through `bootstrap` lists every broker id in `ids`. */
export async function metadataLists(bootstrap: string[], ids: readonly number[]): Promise<boolean> {
  const admin = new Admin({ clientId: 'riffle-kafka-ready', bootstrapBrokers: bootstrap, retries: 0, timeout: 3000 });
  try {
    const md = await admin.metadata({ topics: [], forceUpdate: true });
    return ids.every((id) => md.brokers.has(id));
  } catch {
    return false;
  } finally {
    await admin.close().catch(() => {});
  }
}
