// Fetches jars from Maven Central with Maven into cache folders outside git: the Apache Kafka broker
// (no Docker, no Apache download site here), and Java clients the interop tests drive.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Newest Kafka line @platformatic/kafka 2.x says it supports ("3.5.0 to 4.2.0, edges included"). */
export const KAFKA_VERSION = '4.2.0';
/** Same line as the log4j-core Kafka 4.2.0 pulls; Kafka uses SLF4J 1.7, hence the slf4j (not slf4j2) binding. */
export const LOG4J_VERSION = '2.25.3';

const MARKER = '.complete';

/** A Maven artifact; `scope: 'import'` for a BOM whose versions the others take. */
export interface MavenDependency {
  readonly group: string;
  readonly artifact: string;
  readonly version?: string;
  readonly bom?: boolean;
}

function pom(deps: readonly MavenDependency[]): string {
  const xml = (d: MavenDependency, extra = '') =>
    `<dependency><groupId>${d.group}</groupId><artifactId>${d.artifact}</artifactId>${d.version ? `<version>${d.version}</version>` : ''}${extra}</dependency>`;
  const boms = deps.filter((d) => d.bom).map((d) => xml(d, '<type>pom</type><scope>import</scope>'));
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>riffle.local</groupId><artifactId>jars</artifactId><version>1</version>
  <packaging>pom</packaging>
  ${boms.length > 0 ? `<dependencyManagement><dependencies>${boms.join('')}</dependencies></dependencyManagement>` : ''}
  <dependencies>
    ${deps.filter((d) => !d.bom).map((d) => xml(d)).join('\n    ')}
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
 * Returns `libDir` holding the jars of `deps` and everything they need, downloading them with
 * Maven on first use (a marker names what the folder holds; later runs reuse it and ~/.m2).
 * `onDownload` is called before a download starts.
 */
export async function ensureMavenJars(libDir: string, deps: readonly MavenDependency[], onDownload: () => void = () => {}): Promise<string> {
  const marker = join(libDir, MARKER);
  const what = deps.map((d) => `${d.group}:${d.artifact}:${d.version ?? ''}`).join(' ');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === what) return libDir;
  onDownload();
  // A private work folder per process, renamed into place at the end, so two concurrent first runs
  // cannot see each other's half-copied folder.
  const work = `${libDir}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'pom.xml'), pom(deps));
  const out = join(work, 'lib');
  await run('mvn', ['-B', '-q', 'dependency:copy-dependencies', `-DoutputDirectory=${out}`], work);
  writeFileSync(join(out, MARKER), `${what}\n`);
  rmSync(libDir, { recursive: true, force: true });
  try {
    renameSync(out, libDir);
  } catch (e) {
    if (!existsSync(marker)) throw e; // someone else finished first: theirs is as good as ours
  }
  rmSync(work, { recursive: true, force: true });
  return libDir;
}

/**
 * Returns a folder holding every jar the broker needs, downloading them on first use.
 * `cacheDir` is e.g. `<repo>/.kafka`; jars land in `<cacheDir>/lib-<version>`.
 */
export async function ensureKafkaJars(cacheDir: string, progress: (msg: string) => void = () => {}): Promise<string> {
  const libDir = join(cacheDir, `lib-${KAFKA_VERSION}`);
  let started: number | undefined;
  await ensureMavenJars(libDir, KAFKA_DEPENDENCIES, () => {
    progress(`Downloading Apache Kafka ${KAFKA_VERSION} jars from Maven Central (first run, ~45 MB)...`);
    started = Date.now();
  });
  if (started !== undefined) progress(`Kafka jars ready in ${libDir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return libDir;
}

const KAFKA_DEPENDENCIES: readonly MavenDependency[] = [
  { group: 'org.apache.kafka', artifact: 'kafka_2.13', version: KAFKA_VERSION },
  { group: 'org.apache.logging.log4j', artifact: 'log4j-slf4j-impl', version: LOG4J_VERSION },
];
