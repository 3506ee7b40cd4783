import { monaco } from '../lib/monaco';
import { api, unwrap } from '../lib/api';
import { dataSources, refreshDataSources } from '../dataSources/dataSources';
import { i18n } from '../i18n';
import { library } from './library';
import reference from './dffReference.json';
import { scriptImports, topLevelNames, type TopLevelName } from './pythonOutline';

/**
 * What the code editor knows of DataFlux Func scripts (issue 24.2): completions and hover help for `DFF.*` (every member,
 * its methods and the `DFF.API` options, from the reference the Python runtime itself writes: dffReference.json), the
 * `_DFF_*` variables, the script's own top-level names, other scripts by ID after `import`/`from` and the names they
 * define, and the IDs `DFF.ENV(`, `DFF.SRC(` and `DFF.FUNC(` take.
 */

type Member = (typeof reference.members)[number] & { methods?: Described[]; signature?: string };
interface Described { name: string; description: string; signature?: string }

const members = new Map<string, Member>(reference.members.map(m => [m.name, m as Member]));
const apiOptions = new Map<string, Described>(reference.apiOptions.map(o => [o.name, o]));
const variables = new Map<string, Described>(reference.variables.map(v => [v.name, v]));
const Kind = monaco.languages.CompletionItemKind;

let registered = false;

/** Registers the providers once for every Python editor of the page. */
export function registerDffCodeHelp() {
  if (registered) return;
  registered = true;
  monaco.languages.registerCompletionItemProvider('python', { triggerCharacters: ['.', '_', '(', '\'', '"', ' ', ','], provideCompletionItems });
  monaco.languages.registerHoverProvider('python', { provideHover });
}

// -- completions

async function provideCompletionItems(model: monaco.editor.ITextModel, position: monaco.Position): Promise<monaco.languages.CompletionList> {
  const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
  const word = model.getWordUntilPosition(position);
  const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
  const suggestions = await suggestionsFor(model, position, before, range);
  return { suggestions };
}

async function suggestionsFor(model: monaco.editor.ITextModel, position: monaco.Position, before: string, range: monaco.IRange) {
  const idArgument = /\bDFF\.(ENV|SRC|CONN|FUNC)\(\s*(['"])([^'"]*)$/i.exec(before);
  if (idArgument) {
    const typed = idArgument[3];
    const idRange = new monaco.Range(position.lineNumber, position.column - typed.length, position.lineNumber, position.column);
    return (await idsFor(idArgument[1].toUpperCase())).map(item => ({ ...item, range: idRange }));
  }
  if (/^\s*(?:#|.*\s#)/.test(before) || insideString(before)) return [];

  const fromImport = /^\s*from\s+(\w+)\s+import\s+\(?(?:\s*\w+(?:\s+as\s+\w+)?\s*,)*\s*\w*$/.exec(before);
  if (fromImport) return namesOf(fromImport[1], range);
  if (/^\s*(?:from\s+\w*|import\s+(?:\w+(?:\s+as\s+\w+)?\s*,\s*)*\w*)$/.test(before)) {
    return library.scripts.map(script => ({
      label: script.id, kind: Kind.Module, detail: script.title, insertText: script.id, range,
      documentation: script.description || undefined,
    }));
  }

  const memberOf = /\bDFF\.(\w+)\.\w*$/.exec(before);
  if (memberOf) {
    return (members.get(memberOf[1].toUpperCase())?.methods ?? []).map(method => ({
      label: method.name, kind: Kind.Method, detail: `${method.name}${method.signature}`, documentation: method.description,
      insertText: method.name, range,
    }));
  }
  if (/\bDFF\.\w*$/.test(before)) {
    return [...members.values()].map(member => ({
      label: member.name, kind: member.kind === 'object' ? Kind.Module : Kind.Function,
      detail: `DFF.${member.name}${member.signature ?? ''}`, documentation: member.description, insertText: member.name, range,
    }));
  }
  const qualified = /\b(\w+)\.\w*$/.exec(before);
  if (qualified) {
    const scriptId = scriptImports(model.getValue()).modules.get(qualified[1]);
    return scriptId ? namesOf(scriptId, range) : [];
  }

  if (insideApiCall(model, position)) {
    const used = new Set([...textOfApiCall(model, position).matchAll(/(\w+)\s*=/g)].map(m => m[1]));
    return [...apiOptions.values()].filter(o => !used.has(o.name)).map(option => ({
      label: `${option.name}=`, kind: Kind.Property, detail: 'DFF.API', documentation: option.description,
      insertText: `${option.name}=`, range, sortText: `0${option.name}`,
    }));
  }

  const typed = model.getWordUntilPosition(position).word;
  const own = topLevelNames(model.getValue()).map(name => nameItem(name, range, i18n.global.t('codeHelp.thisScript')));
  const extra = [
    { label: 'DFF', kind: Kind.Module, detail: 'DFF', documentation: i18n.global.t('codeHelp.dff'), insertText: 'DFF', range },
    ...reference.globals.map(g => ({ label: g.name, kind: Kind.Function, detail: `${g.name}${g.signature}`, documentation: g.description, insertText: g.name, range })),
  ];
  const contextVariables = typed.startsWith('_') ? [...variables.values()].map(variable => ({
    label: variable.name, kind: Kind.Variable, detail: '_DFF_*', documentation: variable.description, insertText: variable.name, range,
  })) : [];
  return [...own, ...extra, ...contextVariables];
}

function nameItem(name: TopLevelName, range: monaco.IRange, where: string): monaco.languages.CompletionItem {
  const kind = name.kind === 'function' ? Kind.Function : name.kind === 'class' ? Kind.Class : Kind.Variable;
  return { label: name.name, kind, detail: `${name.name}${name.signature} · ${where}`, documentation: name.doc || undefined, insertText: name.name, range };
}

async function namesOf(scriptId: string, range: monaco.IRange) {
  return (await publishedNames(scriptId)).filter(n => !n.name.startsWith('_')).map(name => nameItem(name, range, scriptId));
}

/** The IDs a `DFF.ENV(`, `DFF.SRC(` or `DFF.FUNC(` call takes. */
async function idsFor(member: string): Promise<Omit<monaco.languages.CompletionItem, 'range'>[]> {
  if (member === 'ENV') {
    return library.envVars.map(v => ({ label: v.id, kind: Kind.Constant, detail: v.title || undefined, insertText: v.id }));
  }
  if (member === 'FUNC') {
    return library.funcs.map(f => ({ label: f.id, kind: Kind.Function, detail: f.title || f.definition, documentation: f.description || undefined, insertText: f.id }));
  }
  if (!dataSources.sources.length) await refreshDataSources().catch(() => undefined);
  return dataSources.sources.map(s => ({ label: s.id, kind: Kind.Constant, detail: `${s.title || s.id} · ${s.type}`, insertText: s.id }));
}

// -- hover help

async function provideHover(model: monaco.editor.ITextModel, position: monaco.Position): Promise<monaco.languages.Hover | null> {
  const word = model.getWordAtPosition(position);
  if (!word) return null;
  const line = model.getLineContent(position.lineNumber);
  const qualifiers = /((?:\w+\.)*)$/.exec(line.slice(0, word.startColumn - 1))![1].split('.').filter(Boolean);
  const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
  const contents = await helpFor(model, position, word.word, qualifiers, line.slice(word.endColumn - 1));
  return contents ? { range, contents } : null;
}

async function helpFor(model: monaco.editor.ITextModel, position: monaco.Position, word: string, qualifiers: string[], after: string) {
  if (qualifiers.length === 0 && word === 'DFF') return [{ value: i18n.global.t('codeHelp.dff') }];
  if (qualifiers[0] === 'DFF' && qualifiers.length === 1) {
    const member = members.get(word.toUpperCase());
    return member && described(`DFF.${member.name}${member.signature ?? ''}`, member.description);
  }
  if (qualifiers[0] === 'DFF' && qualifiers.length === 2) {
    const member = qualifiers[1].toUpperCase();
    const method = members.get(member)?.methods?.find(m => m.name === word);
    return method && described(`DFF.${member}.${method.name}${method.signature}`, method.description);
  }
  if (qualifiers.length === 0 && variables.has(word)) return described(word, variables.get(word)!.description);
  if (qualifiers.length === 0 && /^\s*=(?!=)/.test(after) && insideApiCall(model, position)) {
    const option = apiOptions.get(word);
    return option && described(`DFF.API(${word}=…)`, option.description);
  }
  const imports = scriptImports(model.getValue());
  if (qualifiers.length === 1 && imports.modules.has(qualifiers[0])) {
    const scriptId = imports.modules.get(qualifiers[0])!;
    return nameHelp((await publishedNames(scriptId)).find(n => n.name === word), scriptId);
  }
  if (qualifiers.length > 0) return null;
  const imported = imports.names.get(word);
  if (imported) return nameHelp((await publishedNames(imported.scriptId)).find(n => n.name === imported.name), imported.scriptId);
  const script = library.scripts.find(s => s.id === word);
  if (script) return described(script.id, [script.title, script.description].filter(Boolean).join(' — '));
  const global = reference.globals.find(g => g.name === word);
  if (global) return described(`${global.name}${global.signature}`, global.description);
  const own = topLevelNames(model.getValue()).find(n => n.name === word && n.kind !== 'variable');
  return nameHelp(own, i18n.global.t('codeHelp.thisScript'));
}

function nameHelp(name: TopLevelName | undefined, where: string) {
  if (!name) return null;
  const keyword = name.kind === 'function' ? 'def ' : name.kind === 'class' ? 'class ' : '';
  return described(`${keyword}${name.name}${name.signature}`, [name.doc, `*${where}*`].filter(Boolean).join('\n\n'));
}

function described(code: string, description: string): monaco.IMarkdownString[] {
  return [{ value: '```python\n' + code + '\n```' }, ...(description ? [{ value: description }] : [])];
}

// -- where the cursor is

/** The text with the insides of its string literals blanked (escapes skipped), and whether it ends inside one. */
function blankStrings(text: string): { code: string; open: boolean } {
  let quote = '';
  let code = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (!quote) {
      if (char === '"' || char === '\'') quote = char;
      code += char;
    } else if (char === '\\') {
      code += '  ';
      i++;
    } else {
      if (char === quote) quote = '';
      code += quote ? ' ' : char;
    }
  }
  return { code, open: quote !== '' };
}

const insideString = (before: string) => blankStrings(before).open;

/** The text of the `DFF.API(` call that the cursor is in, from its opening bracket; '' when it is in none. */
function textOfApiCall(model: monaco.editor.ITextModel, position: monaco.Position): string {
  const from = Math.max(1, position.lineNumber - 30);
  const text = model.getValueInRange(new monaco.Range(from, 1, position.lineNumber, position.column));
  const start = text.lastIndexOf('DFF.API(');
  if (start < 0) return '';
  const call = text.slice(start + 'DFF.API'.length);
  const { code, open } = blankStrings(call);
  if (open) return '';
  let depth = 0;
  for (const char of code) {
    if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char) && --depth === 0) return '';
  }
  return depth === 1 ? call : '';
}

function insideApiCall(model: monaco.editor.ITextModel, position: monaco.Position): boolean {
  return textOfApiCall(model, position) !== '';
}

// -- what other scripts define, by their published code

const publishedCode = new Map<string, { md5: string; names: TopLevelName[] }>();

async function publishedNames(scriptId: string): Promise<TopLevelName[]> {
  const known = library.scripts.find(s => s.id === scriptId);
  if (!known) return [];
  const cached = publishedCode.get(scriptId);
  if (cached && cached.md5 === known.codeMD5) return cached.names;
  const script = await unwrap(api.GET('/api/v1/scripts/{id}', { params: { path: { id: scriptId } } })).catch(() => null);
  if (!script) return [];
  const names = topLevelNames(script.code);
  publishedCode.set(scriptId, { md5: script.codeMD5, names });
  return names;
}
