/** A top-level function of a Python script, with its 1-based definition line. */
export interface TopLevelFunc {
  name: string;
  line: number;
}

/**
 * The top-level functions of a script not starting with `_`: the ones the editor can run (S3).
 * A definition is on one line at column 0, as the manual requires.
 */
export function topLevelFuncs(code: string): TopLevelFunc[] {
  const funcs: TopLevelFunc[] = [];
  code.split('\n').forEach((text, index) => {
    const match = /^(?:async\s+)?def\s+([\p{L}_][\p{L}\p{N}_]*)\s*\(/u.exec(text);
    if (match && !match[1].startsWith('_')) funcs.push({ name: match[1], line: index + 1 });
  });
  return funcs;
}
