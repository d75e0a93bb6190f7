// The abstract syntax tree of ksqlDB's SQL dialect, as produced by parser.ts.
// Nodes are plain, kind-tagged objects; `pos` is where the node starts in the source text.
// Identifiers are already normalised: unquoted names upper-cased, quoted names kept as written.
// The AST knows nothing about the catalog: names are not resolved and types are not checked here.

import type { SourcePosition } from '../common/errors.ts';

export type Pos = SourcePosition;

// ---------------------------------------------------------------------------------------------
// Types as written in SQL (custom type names are resolved later by the analyzer).

export type TypeNode =
  | { readonly kind: 'PrimitiveType'; readonly name: 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'TIMESTAMP' | 'DATE' | 'TIME' }
  | { readonly kind: 'DecimalType'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'ArrayType'; readonly element: TypeNode }
  | { readonly kind: 'MapType'; readonly key: TypeNode; readonly value: TypeNode }
  | { readonly kind: 'StructType'; readonly fields: readonly { readonly name: string; readonly type: TypeNode }[] }
  /** A name registered with CREATE TYPE. */
  | { readonly kind: 'CustomType'; readonly name: string };

// ---------------------------------------------------------------------------------------------
// Expressions

export type TimeUnit = 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';

export interface Duration {
  readonly value: number;
  readonly unit: TimeUnit;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';

export type Expr =
  | { readonly kind: 'NullLiteral'; readonly pos: Pos }
  | { readonly kind: 'BooleanLiteral'; readonly value: boolean; readonly pos: Pos }
  /** Integer literal: the source digits. Fits INT -> INTEGER, else BIGINT (else DECIMAL). */
  | { readonly kind: 'IntegerLiteral'; readonly text: string; readonly pos: Pos }
  /** `1.50`: a DECIMAL literal, kept as text so the scale survives. */
  | { readonly kind: 'DecimalLiteral'; readonly text: string; readonly pos: Pos }
  /** `1.5E3`: a DOUBLE literal. */
  | { readonly kind: 'DoubleLiteral'; readonly text: string; readonly pos: Pos }
  | { readonly kind: 'StringLiteral'; readonly value: string; readonly pos: Pos }
  /** `TIMESTAMP '2020-01-01'`-style typed literal: `identifier 'string'`. */
  | { readonly kind: 'TypedLiteral'; readonly typeName: string; readonly value: string; readonly pos: Pos }
  /** A bare time unit used as a function argument (TIMESTAMPADD(SECONDS, ...)). */
  | { readonly kind: 'TimeUnitLiteral'; readonly unit: TimeUnit; readonly pos: Pos }
  /** `col` or `src.col`. */
  | { readonly kind: 'ColumnRef'; readonly source: string | undefined; readonly name: string; readonly pos: Pos }
  /** `expr->field`. */
  | { readonly kind: 'Dereference'; readonly base: Expr; readonly field: string; readonly pos: Pos }
  /** `expr[index]`. */
  | { readonly kind: 'Subscript'; readonly base: Expr; readonly index: Expr; readonly pos: Pos }
  | { readonly kind: 'Arithmetic'; readonly op: ArithmeticOp; readonly left: Expr; readonly right: Expr; readonly pos: Pos }
  | { readonly kind: 'Negate'; readonly operand: Expr; readonly pos: Pos }
  /** `a || b`. */
  | { readonly kind: 'Concat'; readonly left: Expr; readonly right: Expr; readonly pos: Pos }
  | { readonly kind: 'Comparison'; readonly op: ComparisonOp; readonly left: Expr; readonly right: Expr; readonly pos: Pos }
  | { readonly kind: 'Logical'; readonly op: 'AND' | 'OR'; readonly left: Expr; readonly right: Expr; readonly pos: Pos }
  | { readonly kind: 'Not'; readonly operand: Expr; readonly pos: Pos }
  | { readonly kind: 'IsNull'; readonly operand: Expr; readonly negated: boolean; readonly pos: Pos }
  | { readonly kind: 'Between'; readonly operand: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean; readonly pos: Pos }
  | { readonly kind: 'InList'; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean; readonly pos: Pos }
  | { readonly kind: 'Like'; readonly operand: Expr; readonly pattern: Expr; readonly escape: string | undefined; readonly negated: boolean; readonly pos: Pos }
  | { readonly kind: 'Cast'; readonly operand: Expr; readonly type: TypeNode; readonly pos: Pos }
  /** `CASE WHEN c THEN r ... ELSE e END` (searched). */
  | { readonly kind: 'SearchedCase'; readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]; readonly else: Expr | undefined; readonly pos: Pos }
  /** `CASE x WHEN v THEN r ... ELSE e END` (simple). */
  | { readonly kind: 'SimpleCase'; readonly operand: Expr; readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]; readonly else: Expr | undefined; readonly pos: Pos }
  /** `f(a, b)`, `f(*)` (star = true), `f(DISTINCT a)` is not ksql; lambdas appear as args. */
  | { readonly kind: 'FunctionCall'; readonly name: string; readonly args: readonly Expr[]; readonly star: boolean; readonly pos: Pos }
  /** `x => e` or `(x, y) => e`. */
  | { readonly kind: 'Lambda'; readonly params: readonly string[]; readonly body: Expr; readonly pos: Pos }
  /** A reference to a lambda parameter inside a lambda body is parsed as ColumnRef; the analyzer resolves it. */
  | { readonly kind: 'ArrayConstructor'; readonly elements: readonly Expr[]; readonly pos: Pos }
  | { readonly kind: 'MapConstructor'; readonly entries: readonly { readonly key: Expr; readonly value: Expr }[]; readonly pos: Pos }
  | { readonly kind: 'StructConstructor'; readonly fields: readonly { readonly name: string; readonly value: Expr }[]; readonly pos: Pos }
  /** `expr AT TIME ZONE 'tz'` is not an ksql expression node in practice; kept for completeness. */
  | { readonly kind: 'AtTimeZone'; readonly operand: Expr; readonly zone: string; readonly pos: Pos };

// ---------------------------------------------------------------------------------------------
// Queries

export type SelectItem =
  | { readonly kind: 'AllColumns'; readonly source: string | undefined; readonly pos: Pos }
  /** `structExpr->*`. */
  | { readonly kind: 'StructAll'; readonly base: Expr; readonly pos: Pos }
  | { readonly kind: 'SingleColumn'; readonly expr: Expr; readonly alias: string | undefined; readonly pos: Pos };

export interface AliasedSource {
  readonly kind: 'AliasedSource';
  readonly name: string;
  readonly alias: string | undefined;
  readonly pos: Pos;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export interface WithinExpression {
  readonly before: Duration;
  readonly after: Duration;
  readonly grace: Duration | undefined;
}

export interface JoinNode {
  readonly kind: 'Join';
  readonly left: Relation;
  readonly right: AliasedSource;
  readonly type: JoinType;
  readonly within: WithinExpression | undefined;
  readonly on: Expr;
  readonly pos: Pos;
}

export type Relation = AliasedSource | JoinNode;

export type WindowExpr =
  | { readonly kind: 'Tumbling'; readonly size: Duration; readonly retention: Duration | undefined; readonly grace: Duration | undefined; readonly pos: Pos }
  | { readonly kind: 'Hopping'; readonly size: Duration; readonly advance: Duration; readonly retention: Duration | undefined; readonly grace: Duration | undefined; readonly pos: Pos }
  | { readonly kind: 'Session'; readonly gap: Duration; readonly retention: Duration | undefined; readonly grace: Duration | undefined; readonly pos: Pos };

export interface Query {
  readonly kind: 'Query';
  readonly select: readonly SelectItem[];
  readonly from: Relation;
  readonly window: WindowExpr | undefined;
  readonly where: Expr | undefined;
  readonly groupBy: readonly Expr[] | undefined;
  readonly partitionBy: readonly Expr[] | undefined;
  readonly having: Expr | undefined;
  /** undefined: no EMIT clause (a pull query unless inside CSAS/CTAS). */
  readonly emit: 'CHANGES' | 'FINAL' | undefined;
  readonly limit: number | undefined;
  readonly pos: Pos;
}

// ---------------------------------------------------------------------------------------------
// Statements

export type Literal = string | number | boolean | null;

/** WITH (...) properties: names upper-cased; values are literals (numbers keep their source text). */
export interface Properties {
  readonly entries: readonly { readonly name: string; readonly value: Expr; readonly pos: Pos }[];
}

export type ColumnConstraint = 'KEY' | 'PRIMARY KEY' | 'HEADERS' | { readonly header: string } | undefined;

export interface TableElement {
  readonly name: string;
  readonly type: TypeNode;
  readonly constraint: ColumnConstraint;
  readonly pos: Pos;
}

export type Statement =
  | { readonly kind: 'CreateSource'; readonly sourceType: 'STREAM' | 'TABLE'; readonly name: string; readonly orReplace: boolean; readonly isSource: boolean; readonly ifNotExists: boolean; readonly elements: readonly TableElement[]; readonly properties: Properties; readonly pos: Pos }
  | { readonly kind: 'CreateAsSelect'; readonly sourceType: 'STREAM' | 'TABLE'; readonly name: string; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly properties: Properties; readonly query: Query; readonly pos: Pos }
  | { readonly kind: 'InsertInto'; readonly target: string; readonly properties: Properties; readonly query: Query; readonly pos: Pos }
  | { readonly kind: 'InsertValues'; readonly target: string; readonly columns: readonly string[] | undefined; readonly values: readonly Expr[]; readonly pos: Pos }
  | { readonly kind: 'DropSource'; readonly sourceType: 'STREAM' | 'TABLE'; readonly name: string; readonly ifExists: boolean; readonly deleteTopic: boolean; readonly pos: Pos }
  | { readonly kind: 'CreateType'; readonly name: string; readonly ifNotExists: boolean; readonly type: TypeNode; readonly pos: Pos }
  | { readonly kind: 'DropType'; readonly name: string; readonly ifExists: boolean; readonly pos: Pos }
  | { readonly kind: 'AlterSource'; readonly sourceType: 'STREAM' | 'TABLE'; readonly name: string; readonly columns: readonly TableElement[]; readonly pos: Pos }
  | { readonly kind: 'Select'; readonly query: Query; readonly pos: Pos }
  | { readonly kind: 'Print'; readonly topic: string; readonly fromBeginning: boolean; readonly interval: number | undefined; readonly limit: number | undefined; readonly pos: Pos }
  /** queryId undefined = ALL. */
  | { readonly kind: 'Terminate'; readonly queryId: string | undefined; readonly pos: Pos }
  | { readonly kind: 'PauseResume'; readonly action: 'PAUSE' | 'RESUME'; readonly queryId: string | undefined; readonly pos: Pos }
  | { readonly kind: 'ListStreams'; readonly extended: boolean; readonly pos: Pos }
  | { readonly kind: 'ListTables'; readonly extended: boolean; readonly pos: Pos }
  | { readonly kind: 'ListQueries'; readonly extended: boolean; readonly pos: Pos }
  | { readonly kind: 'ListTopics'; readonly all: boolean; readonly extended: boolean; readonly pos: Pos }
  | { readonly kind: 'ListProperties'; readonly pos: Pos }
  | { readonly kind: 'ListFunctions'; readonly pos: Pos }
  | { readonly kind: 'ListTypes'; readonly pos: Pos }
  | { readonly kind: 'ListVariables'; readonly pos: Pos }
  | { readonly kind: 'ListConnectors'; readonly scope: 'ALL' | 'SOURCE' | 'SINK'; readonly pos: Pos }
  /** LIST CONNECTOR PLUGINS. */
  | { readonly kind: 'ListConnectorPlugins'; readonly pos: Pos }
  | { readonly kind: 'DescribeSource'; readonly name: string; readonly extended: boolean; readonly pos: Pos }
  /** DESCRIBE STREAMS / DESCRIBE TABLES. */
  | { readonly kind: 'DescribeSources'; readonly sourceType: 'STREAM' | 'TABLE'; readonly extended: boolean; readonly pos: Pos }
  | { readonly kind: 'DescribeFunction'; readonly name: string; readonly pos: Pos }
  | { readonly kind: 'Explain'; readonly queryId: string | undefined; readonly statement: Statement | undefined; readonly pos: Pos }
  | { readonly kind: 'SetProperty'; readonly name: string; readonly value: string; readonly pos: Pos }
  | { readonly kind: 'UnsetProperty'; readonly name: string; readonly pos: Pos }
  | { readonly kind: 'AlterSystem'; readonly name: string; readonly value: string; readonly pos: Pos }
  | { readonly kind: 'DefineVariable'; readonly name: string; readonly value: string; readonly pos: Pos }
  | { readonly kind: 'UndefineVariable'; readonly name: string; readonly pos: Pos }
  | { readonly kind: 'CreateConnector'; readonly connectorType: 'SOURCE' | 'SINK'; readonly name: string; readonly ifNotExists: boolean; readonly properties: Properties; readonly pos: Pos }
  | { readonly kind: 'DropConnector'; readonly name: string; readonly ifExists: boolean; readonly pos: Pos }
  | { readonly kind: 'DescribeConnector'; readonly name: string; readonly pos: Pos }
  | { readonly kind: 'AssertTopic'; readonly topic: string; readonly exists: boolean; readonly properties: Properties; readonly timeout: Duration | undefined; readonly pos: Pos }
  | { readonly kind: 'AssertSchema'; readonly subject: string | undefined; readonly id: number | undefined; readonly exists: boolean; readonly timeout: Duration | undefined; readonly pos: Pos };

/** One statement of a script, with the exact text it was parsed from (ksqlDB echoes it back). */
export interface ParsedStatement {
  readonly statement: Statement;
  /** The statement's text including its terminating `;`, trimmed. */
  readonly text: string;
  readonly pos: Pos;
  /** The text after `${var}` substitution, when substitution changed it (the AST was parsed from it). */
  readonly substitutedText?: string;
}

export interface Diagnostic {
  readonly message: string;
  readonly pos: Pos;
}

/** The parser never throws: it returns the statements it parsed or the first error. */
export type ParseResult =
  | { readonly ok: true; readonly statements: readonly ParsedStatement[] }
  | { readonly ok: false; readonly error: Diagnostic; readonly statementText: string };
