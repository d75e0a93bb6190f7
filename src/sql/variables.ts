// `${name}` variable substitution, applied to a statement's text before it is parsed (as ksqlDB
// does): names are case-insensitive, `$${name}` escapes a reference, unknown names are left as is.

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `variables` is keyed by upper-cased name. */
export function substituteVariables(text: string, variables: ReadonlyMap<string, string>): string {
  if (!text.includes('${')) return text;
  return text.replace(REFERENCE, (whole: string, escape: string, name: string) => {
    if (escape !== '') return whole.slice(1);
    return variables.get(name.toUpperCase()) ?? whole;
  });
}
