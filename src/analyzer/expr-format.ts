// Prints AST expressions back as SQL, the way ksqlDB's messages show them: `(A + B)`,
// `ABS(INPUT.ID)`, `'text'`. Also gives the canonical key used to match GROUP BY expressions.

import type { Expr, TypeNode } from '../sql/ast.ts';

export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'NullLiteral': return 'null';
    case 'BooleanLiteral': return e.value ? 'true' : 'false';
    case 'IntegerLiteral':
    case 'DecimalLiteral':
    case 'DoubleLiteral': return e.text;
    case 'StringLiteral': return `'${e.value.replace(/'/g, "''")}'`;
    case 'TypedLiteral': return `${e.typeName} '${e.value}'`;
    case 'TimeUnitLiteral': return e.unit;
    case 'ColumnRef': return e.source ? `${e.source}.${e.name}` : e.name;
    case 'Dereference': return `${formatExpr(e.base)}->${e.field}`;
    case 'Subscript': return `${formatExpr(e.base)}[${formatExpr(e.index)}]`;
    case 'Arithmetic': return `(${formatExpr(e.left)} ${e.op} ${formatExpr(e.right)})`;
    case 'Negate': return `-${formatExpr(e.operand)}`;
    case 'Concat': return `(${formatExpr(e.left)} || ${formatExpr(e.right)})`;
    case 'Comparison': return `(${formatExpr(e.left)} ${e.op} ${formatExpr(e.right)})`;
    case 'Logical': return `(${formatExpr(e.left)} ${e.op} ${formatExpr(e.right)})`;
    case 'Not': return `(NOT ${formatExpr(e.operand)})`;
    case 'IsNull': return `(${formatExpr(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'Between': return `(${formatExpr(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${formatExpr(e.low)} AND ${formatExpr(e.high)})`;
    case 'InList': return `(${formatExpr(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(formatExpr).join(', ')}))`;
    case 'Like': return `(${formatExpr(e.operand)} ${e.negated ? 'NOT ' : ''}LIKE ${formatExpr(e.pattern)}${e.escape ? ` ESCAPE '${e.escape}'` : ''})`;
    case 'Cast': return `CAST(${formatExpr(e.operand)} AS ${formatTypeNode(e.type)})`;
    case 'SearchedCase':
      return `(CASE ${e.whens.map((w) => `WHEN ${formatExpr(w.when)} THEN ${formatExpr(w.then)}`).join(' ')}${e.else ? ` ELSE ${formatExpr(e.else)}` : ''} END)`;
    case 'SimpleCase':
      return `(CASE ${formatExpr(e.operand)} ${e.whens.map((w) => `WHEN ${formatExpr(w.when)} THEN ${formatExpr(w.then)}`).join(' ')}${e.else ? ` ELSE ${formatExpr(e.else)}` : ''} END)`;
    case 'FunctionCall': return `${e.name}(${e.star ? '*' : e.args.map(formatExpr).join(', ')})`;
    case 'Lambda': return `(${e.params.join(', ')}) => ${formatExpr(e.body)}`;
    case 'ArrayConstructor': return `ARRAY[${e.elements.map(formatExpr).join(', ')}]`;
    case 'MapConstructor': return `MAP(${e.entries.map((x) => `${formatExpr(x.key)}:=${formatExpr(x.value)}`).join(', ')})`;
    case 'StructConstructor': return `STRUCT(${e.fields.map((f) => `${f.name}:=${formatExpr(f.value)}`).join(', ')})`;
    case 'AtTimeZone': return `${formatExpr(e.operand)} AT TIME ZONE '${e.zone}'`;
  }
}

export function formatTypeNode(t: TypeNode): string {
  switch (t.kind) {
    case 'PrimitiveType': return t.name;
    case 'DecimalType': return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ArrayType': return `ARRAY<${formatTypeNode(t.element)}>`;
    case 'MapType': return `MAP<${formatTypeNode(t.key)}, ${formatTypeNode(t.value)}>`;
    case 'StructType': return `STRUCT<${t.fields.map((f) => `${f.name} ${formatTypeNode(f.type)}`).join(', ')}>`;
    case 'CustomType': return t.name;
  }
}
