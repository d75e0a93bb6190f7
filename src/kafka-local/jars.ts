// Fetches the Apache Kafka broker jars from Maven Central with Maven (no Docker, no Apache download
// site here) into a cache folder outside git; later runs reuse it (and Maven's ~/.m2).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Newest Kafka line @platformatic/kafka 2.x says it supports ("3.5.0 to 4.2.0, edges included"). */
export const KAFKA_VERSION = '4.2.0';
/** Same line as the log4j-core Kafka 4.2.0 pulls; Kafka uses SLF4J 1.7, hence the slf4j (not slf4j2) binding. */
export const LOG4J_VERSION = '2.25.3';

const MARKER = '.complete';

function pom(): string {
  const dep = (g: string, a: string, v: string) =>
    `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>riffle.local</groupId><artifactId>kafka-jars</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', KAFKA_VERSION)}
    ${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => reject(new Error(`cannot run ${cmd}: ${e.message} (is Maven installed?)`)));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`)),
    );
  });
}

/**
 * Returns a folder holding every jar the broker needs, downloading them on first use.
 * `cacheDir` is e.g. `<repo>/.kafka`; jars land in `<cacheDir>/lib-<version>`.
 */
export async function ensureKafkaJars(cacheDir: string, progress: (msg: string) => void = () => {}): Promise<string> {
  const libDir = join(cacheDir, `lib-${KAFKA_VERSION}`);
  const marker = join(libDir, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === `${KAFKA_VERSION} ${LOG4J_VERSION}`) return libDir;

  progress(`Downloading Apache Kafka ${KAFKA_VERSION} jars from Maven Central (first run, ~45 MB)...`);
  // A private work folder per process, renamed into place at the end, so two concurrent first runs
  // cannot see each other's half-copied folder.
  const work = join(cacheDir, `tmp-jars-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'pom.xml'), pom());
  const out = join(work, 'lib');
  const started = Date.now();
  await run('mvn', ['-B', '-q', 'dependency:copy-dependencies', `-DoutputDirectory=${out}`], work);
  writeFileSync(join(out, MARKER), `${KAFKA_VERSION} ${LOG4J_VERSION}\n`);
  rmSync(libDir, { recursive: true, force: true });
  try {
    renameSync(out, libDir);
  } catch (e) {
    if (!existsSync(marker)) throw e; // someone else finished first: theirs is as good as ours
  }
  rmSync(work, { recursive: true, force: true });
  progress(`Kafka jars ready in ${libDir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return libDir;
}
