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

/** A name a script defines at its top level: what another script can import from it. */
export interface TopLevelName {
  name: string;
  line: number;
  kind: 'function' | 'class' | 'variable';
  /** `(a, b=1)` for a function or a class with bases; empty otherwise. */
  signature: string;
  /** The first paragraph of its docstring, on one line. */
  doc: string;
}

const identifier = '[\\p{L}_][\\p{L}\\p{N}_]*';
const definitionPattern = new RegExp(`^(?:async\\s+)?(def|class)\\s+(${identifier})\\s*(\\()?`, 'u');
const assignmentPattern = new RegExp(`^(${identifier})\\s*(?::[^=]*)?=(?!=)`, 'u');

/** Every top-level def, class and assignment of a script; a name defined twice is described by its last definition. */
export function topLevelNames(code: string): TopLevelName[] {
  const lines = code.split('\n');
  const byName = new Map<string, TopLevelName>();
  lines.forEach((text, index) => {
    const definition = definitionPattern.exec(text);
    if (definition) {
      const header = definition[3] ? parenthesised(lines, index, definition[0].length - 1) : { text: '', endLine: index };
      byName.delete(definition[2]);
      byName.set(definition[2], {
        name: definition[2], line: index + 1, kind: definition[1] === 'def' ? 'function' : 'class',
        signature: header.text, doc: docstring(lines, header.endLine + 1),
      });
      return;
    }
    const assignment = assignmentPattern.exec(text);
    if (assignment) {
      byName.delete(assignment[1]);
      byName.set(assignment[1], { name: assignment[1], line: index + 1, kind: 'variable', signature: '', doc: '' });
    }
  });
  return [...byName.values()];
}

/** The bracketed text opening at `column` of `lines[start]`, on one line, and the line it closes on. */
function parenthesised(lines: string[], start: number, column: number): { text: string; endLine: number } {
  let depth = 0;
  let text = '';
  for (let index = start; index < lines.length && index < start + 30; index++) {
    const line = index === start ? lines[index].slice(column) : ' ' + lines[index].trim();
    for (const char of line) {
      text += char;
      if (char === '(' || char === '[' || char === '{') depth++;
      if (char === ')' || char === ']' || char === '}') depth--;
      if (depth === 0) return { text: text.replace(/\s+/g, ' ').replace(/\(\s/g, '(').replace(/,\s*\)/g, ')'), endLine: index };
    }
  }
  return { text: '', endLine: start };
}

/** The first paragraph of the docstring that opens the body starting at `lines[start]`, if any. */
function docstring(lines: string[], start: number): string {
  let index = start;
  while (index < lines.length && !lines[index].trim()) index++;
  const opening = /^\s+[rRuU]?("""|''')(.*)$/.exec(lines[index] ?? '');
  if (!opening) return '';
  const [, quotes, rest] = opening;
  const collected: string[] = [];
  let text = rest;
  for (; index < lines.length && index < start + 60; text = lines[++index] ?? '') {
    const end = text.indexOf(quotes);
    const part = (end >= 0 ? text.slice(0, end) : text).trim();
    if (!part && collected.length) break;
    if (part) collected.push(part);
    if (end >= 0) break;
  }
  return collected.join(' ');
}

/** What a script imports from other scripts (their IDs have `__`): modules by the name the code uses, and single names. */
export interface ScriptImports {
  /** `import a__b as m`: m → a__b (and `import a__b`: a__b → a__b). */
  modules: Map<string, string>;
  /** `from a__b import f as g`: g → { scriptId: a__b, name: f }. */
  names: Map<string, { scriptId: string; name: string }>;
}

const importPattern = /^\s*import\s+([^#]+)/;
const fromImportPattern = /^\s*from\s+(\S+)\s+import\s+\(?([^#)]*)/;
const aliasPattern = new RegExp(`^(${identifier})(?:\\s+as\\s+(${identifier}))?$`, 'u');

export function scriptImports(code: string): ScriptImports {
  const imports: ScriptImports = { modules: new Map(), names: new Map() };
  for (const line of code.split('\n')) {
    const fromImport = fromImportPattern.exec(line);
    if (fromImport) {
      if (!fromImport[1].includes('__')) continue;
      for (const [name, alias] of aliases(fromImport[2])) imports.names.set(alias, { scriptId: fromImport[1], name });
      continue;
    }
    const plainImport = importPattern.exec(line);
    if (plainImport) {
      for (const [module, alias] of aliases(plainImport[1])) if (module.includes('__')) imports.modules.set(alias, module);
    }
  }
  return imports;
}

function aliases(list: string): [string, string][] {
  return list.split(',').map(part => aliasPattern.exec(part.trim())).filter(m => m !== null)
    .map(m => [m![1], m![2] ?? m![1]]);
}
