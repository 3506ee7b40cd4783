// The Monaco editor, bundled from npm: the editor core, the features the console uses (among
// them the Sublime-like shortcuts of the manual, which are Monaco's own defaults: Ctrl/Cmd+/
// comment, Ctrl/Cmd+X/C/V on an empty selection for whole lines, Tab/Shift+Tab and
// Ctrl/Cmd+]/[ to indent, Ctrl/Cmd+D to select a word and its next occurrences), completions
// and hover help (scripts/dffCodeHelp.ts), Python highlighting and the editor worker.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/caretOperations/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/diffEditor/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/quickCommand/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/suggest/register';
// The suggest widget itself: Monaco 0.57's suggest feature registers only inline completions.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/languages/definitions/python/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

export { monaco };

/** Themes offered in the editor settings, Monaco's built-in ones. */
export const editorThemes = [
  { value: 'vs', label: 'Light' },
  { value: 'vs-dark', label: 'Dark' },
  { value: 'hc-light', label: 'High contrast light' },
  { value: 'hc-black', label: 'High contrast dark' },
] as const;

export type EditorTheme = (typeof editorThemes)[number]['value'];

/** Options every code view shares: Python with 4-space indentation, as the publish check requires. */
export const pythonEditorOptions: monaco.editor.IStandaloneEditorConstructionOptions = {
  language: 'python',
  tabSize: 4,
  insertSpaces: true,
  detectIndentation: false,
  automaticLayout: true,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  renderWhitespace: 'boundary',
  emptySelectionClipboard: true,
};

/** Something to underline in the code, with what a hover over it says (the publish check's findings). */
export interface CodeMark {
  line: number;
  message: string;
  severity: 'error' | 'warning';
}
