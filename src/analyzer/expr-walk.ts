// Visits every node of an AST expression, parents first; the visitor returns false to skip children.

import type { Expr } from '../sql/ast.ts';

export function walkExpr(e: Expr, visit: (e: Expr) => boolean): void {
  if (!visit(e)) return;
  for (const c of children(e)) walkExpr(c, visit);
}

export function children(x: Expr): Expr[] {
  switch (x.kind) {
    case 'Dereference': return [x.base];
    case 'Subscript': return [x.base, x.index];
    case 'Arithmetic': case 'Comparison': case 'Logical': case 'Concat': return [x.left, x.right];
    case 'Negate': case 'Not': case 'IsNull': case 'Cast': case 'AtTimeZone': return [x.operand];
    case 'Between': return [x.operand, x.low, x.high];
    case 'InList': return [x.operand, ...x.list];
    case 'Like': return [x.operand, x.pattern];
    case 'SearchedCase': return [...x.whens.flatMap((w) => [w.when, w.then]), ...(x.else ? [x.else] : [])];
    case 'SimpleCase': return [x.operand, ...x.whens.flatMap((w) => [w.when, w.then]), ...(x.else ? [x.else] : [])];
    case 'FunctionCall': return [...x.args];
    case 'Lambda': return [x.body];
    case 'ArrayConstructor': return [...x.elements];
    case 'MapConstructor': return x.entries.flatMap((en) => [en.key, en.value]);
    case 'StructConstructor': return x.fields.map((f) => f.value);
    default: return [];
  }
}
