// Bound expressions: the analyzer's output for every SQL expression. Names are resolved to
// input positions, every node carries its SQL type, functions are resolved to implementations.
// This is the form expressions are compiled from (src/runtime/expression-compiler.ts).

import type { SqlType } from '../common/sql-type.ts';
import type { ResolvedScalar } from '../functions/function-types.ts';
import type { ArithmeticOp, TimeUnit } from '../sql/ast.ts';

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'DISTINCT' | 'NOT DISTINCT';

export type BoundExpr =
  | { readonly kind: 'Literal'; readonly type: SqlType | null; readonly value: unknown }
  /** A column of the input row, by position. */
  | { readonly kind: 'Column'; readonly type: SqlType; readonly index: number; readonly name: string }
  /** A lambda parameter, by slot in the lambda environment. */
  | { readonly kind: 'LambdaParam'; readonly type: SqlType; readonly slot: number; readonly name: string }
  | { readonly kind: 'Lambda'; readonly params: readonly number[]; readonly body: BoundExpr; readonly type: SqlType }
  | { readonly kind: 'Call'; readonly type: SqlType; readonly name: string; readonly fn: ResolvedScalar; readonly args: readonly BoundExpr[] }
  | { readonly kind: 'Arithmetic'; readonly type: SqlType; readonly op: ArithmeticOp; readonly left: BoundExpr; readonly right: BoundExpr }
  | { readonly kind: 'Negate'; readonly type: SqlType; readonly operand: BoundExpr }
  | { readonly kind: 'Compare'; readonly type: SqlType; readonly op: CompareOp; readonly left: BoundExpr; readonly right: BoundExpr; readonly operandType: SqlType }
  | { readonly kind: 'And' | 'Or'; readonly type: SqlType; readonly left: BoundExpr; readonly right: BoundExpr }
  | { readonly kind: 'Not'; readonly type: SqlType; readonly operand: BoundExpr }
  | { readonly kind: 'IsNull'; readonly type: SqlType; readonly operand: BoundExpr; readonly negated: boolean }
  | { readonly kind: 'In'; readonly type: SqlType; readonly operand: BoundExpr; readonly list: readonly BoundExpr[]; readonly negated: boolean; readonly operandType: SqlType }
  | { readonly kind: 'Like'; readonly type: SqlType; readonly operand: BoundExpr; readonly pattern: BoundExpr; readonly escape: string | undefined; readonly negated: boolean }
  | { readonly kind: 'Cast'; readonly type: SqlType; readonly operand: BoundExpr }
  | { readonly kind: 'Case'; readonly type: SqlType; readonly whens: readonly { readonly when: BoundExpr; readonly then: BoundExpr }[]; readonly else: BoundExpr | undefined }
  | { readonly kind: 'Subscript'; readonly type: SqlType; readonly base: BoundExpr; readonly index: BoundExpr }
  | { readonly kind: 'Dereference'; readonly type: SqlType; readonly base: BoundExpr; readonly field: string }
  | { readonly kind: 'ArrayCtor'; readonly type: SqlType; readonly elements: readonly BoundExpr[] }
  | { readonly kind: 'MapCtor'; readonly type: SqlType; readonly entries: readonly { readonly key: BoundExpr; readonly value: BoundExpr }[] }
  | { readonly kind: 'StructCtor'; readonly type: SqlType; readonly fields: readonly { readonly name: string; readonly value: BoundExpr }[] }
  | { readonly kind: 'TimeUnit'; readonly type: null; readonly unit: TimeUnit };

export function typeOf(e: BoundExpr): SqlType | null {
  return e.type;
}
