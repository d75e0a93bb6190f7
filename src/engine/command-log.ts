// The command topic: every statement that changes the catalog is appended here after it ran, and
// replayed in order when an engine starts over the same log, so streams, tables, types and
// persistent queries (with their ids) come back after a restart or a crash. ksqlDB's name and
// layout: `_confluent-ksql-<service id>_command_topic`, one partition.

import type { Log } from '../log/log.ts';
import type { Statement } from '../sql/ast.ts';

export interface Command {
  /** The statement text as accepted. */
  readonly statement: string;
  /** Session properties in effect (SET / streamsProperties). */
  readonly properties: Readonly<Record<string, string>>;
  /** Variables in effect (DEFINE), already substituted in `statement` by the parser. */
  readonly variables: Readonly<Record<string, string>>;
  /** The id the statement's persistent query got, so a replay gives it the same id. */
  readonly queryId: string | undefined;
  /** Which engine accepted it (engines sharing a command topic skip their own commands). */
  readonly origin: string;
}

export function commandTopicName(serviceId: string): string {
  return `_confluent-ksql-${serviceId}_command_topic`;
}

/** Statements that change the catalog and so go to the command topic. */
export function isCatalogCommand(s: Statement): boolean {
  switch (s.kind) {
    case 'CreateSource': case 'CreateAsSelect': case 'InsertInto': case 'DropSource': case 'CreateType':
    case 'DropType': case 'AlterSource': case 'Terminate': case 'PauseResume': case 'AlterSystem':
      return true;
    default:
      return false;
  }
}

export class CommandLog {
  readonly topic: string;
  readonly #log: Log;
  /** Offset of the next command to read. */
  #position = 0;

  constructor(log: Log, serviceId: string) {
    this.#log = log;
    this.topic = commandTopicName(serviceId);
  }

  async ensureTopic(): Promise<void> {
    if (!(await this.#log.describeTopic(this.topic))) {
      try {
        await this.#log.createTopic(this.topic, { partitions: 1 });
      } catch (e) {
        if (!(await this.#log.describeTopic(this.topic))) throw e;
      }
    }
  }

  async append(command: Command): Promise<void> {
    const [offset] = await this.#log.append(this.topic, [{
      partition: 0, key: null, value: Buffer.from(JSON.stringify(command)),
    }]);
    // Our own command is already applied: reading must not apply it again.
    if (offset !== undefined && offset === this.#position) this.#position = offset + 1;
  }

  /** Commands appended since the last read (by any engine sharing the topic), in order. */
  async readNew(): Promise<Command[]> {
    const out: Command[] = [];
    for (;;) {
      const recs = await this.#log.read(this.topic, 0, this.#position, 1000);
      if (recs.length === 0) return out;
      for (const r of recs) {
        if (r.value) out.push(JSON.parse(Buffer.from(r.value).toString('utf8')) as Command);
      }
      this.#position = recs[recs.length - 1]!.offset + 1;
    }
  }
}
