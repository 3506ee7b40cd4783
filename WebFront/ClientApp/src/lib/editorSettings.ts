import { reactive, watch } from 'vue';
import type { EditorTheme } from './monaco';

/** The code editor's look (U1: theme, font size, line height), kept per browser. */
export interface EditorSettings {
  theme: EditorTheme;
  fontSize: number;
  lineHeight: number;
}

const storageKey = 'orleansfunc.editorSettings';

export const defaultEditorSettings: EditorSettings = { theme: 'vs', fontSize: 14, lineHeight: 22 };

function load(): EditorSettings {
  try {
    return { ...defaultEditorSettings, ...(JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Partial<EditorSettings>) };
  } catch {
    return { ...defaultEditorSettings };
  }
}

export const editorSettings = reactive<EditorSettings>(load());

watch(editorSettings, value => localStorage.setItem(storageKey, JSON.stringify(value)));
