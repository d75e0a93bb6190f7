// A real Riffle server for the shell tests: the real engine (embedded log, lmdb state) in a temp data
// directory, serving in this process on an ephemeral loopback port (test/server/helpers.ts). It also
// records the requests it received, read from node:http's diagnostics channels, so a test can check
// what the shell sent (e.g. that Ctrl-C went through /close-query) without anything standing in for
// the server. The shell speaks HTTP/1.1 only, which is what those channels report.

import diagnostics from 'node:diagnostics_channel';
import type http from 'node:http';
import type { Socket } from 'node:net';
import { startTestServer } from '../server/helpers.ts';
import { delay } from './pty-shell.ts';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** The status answered, once the response finished. */
  status: number | undefined;
}

export interface ShellTestServer {
  readonly url: string;
  /** Every HTTP/1.1 request this server received, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Waits (bounded) until the server streams no push query any more; false if some still run. */
  pushQueriesEnded(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

interface ChannelMessage {
  readonly request: http.IncomingMessage;
  readonly response: http.ServerResponse;
  readonly socket: Socket;
}

export async function startShellTestServer(): Promise<ShellTestServer> {
  // Closing waits for open connections (a shell may still hold a keep-alive one): keep that short.
  const server = await startTestServer({ 'riffle.server.shutdown.timeout.ms': '1000' });
  const requests: ReceivedRequest[] = [];
  const byRequest = new WeakMap<http.IncomingMessage, ReceivedRequest>();
  const onStart = (message: unknown): void => {
    const { request, socket } = message as ChannelMessage;
    if (socket.localPort !== server.port) return;
    const received: ReceivedRequest = { method: request.method ?? '', path: request.url ?? '', status: undefined };
    byRequest.set(request, received);
    requests.push(received);
  };
  const onFinish = (message: unknown): void => {
    const { request, response } = message as ChannelMessage;
    const received = byRequest.get(request);
    if (received) received.status = response.statusCode;
  };
  diagnostics.subscribe('http.server.request.start', onStart);
  diagnostics.subscribe('http.server.response.finish', onFinish);
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    async pushQueriesEnded(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (server.server.context.pushQueries.activeCount > 0) {
        if (Date.now() > deadline) return false;
        await delay(20);
      }
      return true;
    },
    async close() {
      diagnostics.unsubscribe('http.server.request.start', onStart);
      diagnostics.unsubscribe('http.server.response.finish', onFinish);
      await server.close();
    },
  };
}
