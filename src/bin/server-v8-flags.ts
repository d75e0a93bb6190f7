// V8 flags the server runs with. Written out in three places that cannot import this file — the
// `start` script in package.json, the shebang of src/bin/riffle.ts — and used here by whatever
// spawns a server (benchmarks, HA tests); test/server/v8-flags.test.ts checks they agree.
//
// --max-semi-space-size=4 (MB): V8's young generation otherwise grows to 32 MB semi-spaces, and
// scavenging one took 20-50 ms on this project's VMs, stalling every in-flight request: pull
// queries' p99 was 28-45 ms at ~8k queries/s. With 4 MB semi-spaces scavenges take 2-5 ms (more
// of them, about the same total GC time) and p99 fell to 9-13 ms in the same runs
// (bench/README.md, pull).
export const SERVER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
