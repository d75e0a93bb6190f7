// Roof server child of the pull benchmark: bare node:http and node:http2 (h2c) servers that read
// the request and answer every POST with one constant pull-query response; prints their ports.
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

const BODY = JSON.stringify([
  { queryId: 'query_1', columnNames: ['ID', 'NAME', 'SCORE'], columnTypes: ['INTEGER', 'STRING', 'BIGINT'] },
  [42, 'user-42', 4200],
]) + '\n';

const h1 = http.createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(BODY);
  });
});
const h2 = http2.createServer();
h2.on('stream', (stream) => {
  stream.on('data', () => undefined);
  stream.on('end', () => {
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(BODY);
  });
});
await new Promise<void>((r) => h1.listen(0, '127.0.0.1', r));
await new Promise<void>((r) => h2.listen(0, '127.0.0.1', r));
process.stdout.write(JSON.stringify({ http1: (h1.address() as AddressInfo).port, http2: (h2.address() as AddressInfo).port }) + '\n');
process.on('SIGTERM', () => process.exit(0));
