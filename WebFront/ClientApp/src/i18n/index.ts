import { computed, watch } from 'vue';
import { createI18n } from 'vue-i18n';
import en from 'element-plus/es/locale/lang/en';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import type { Schemas } from '../lib/api';

/**
 * The console in Simplified Chinese and English. Each area of the console has one catalogue file per language
 * (`locales/<language>/<area>.json`, keys `<area>.<key>`); a test fails when a key is missing in either language or used
 * and defined nowhere. The language is the user's choice (kept on the server), else the browser's.
 */
export type Language = Schemas['ConsoleLanguage'];

export const languages: { value: Language; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
];

type Catalogue = Record<string, unknown>;
const files = import.meta.glob<Catalogue>('./locales/*/*.json', { eager: true, import: 'default' });
const messages: Record<string, Record<string, Catalogue>> = {};
for (const [path, catalogue] of Object.entries(files)) {
  const [, language, area] = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path)!;
  (messages[language] ??= {})[area] = catalogue;
}

/** The browser's language when the user chose none: Chinese for any zh, else English. */
export function browserLanguage(): Language {
  return navigator.languages.some(tag => tag.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

const chosenKey = 'orleansfunc.language';

export const i18n = createI18n({
  legacy: false,
  locale: (localStorage.getItem(chosenKey) as Language | null) ?? browserLanguage(),
  fallbackLocale: 'en',
  messages,
  missingWarn: false,
  fallbackWarn: false,
});

/** The language the console shows now. */
export const language = computed(() => i18n.global.locale.value as Language);

/** Shows the console in `value` (null: the browser's); remembered in this browser, the caller keeps it on the server. */
export function useLanguage(value: Language | null | undefined) {
  const next = value ?? browserLanguage();
  if (value) localStorage.setItem(chosenKey, value);
  else localStorage.removeItem(chosenKey);
  i18n.global.locale.value = next;
}

/** Element Plus's own texts (pagination, empty tables, date pickers) in the same language. */
export const elementLocale = computed(() => (language.value === 'zh-CN' ? zhCn : en));

watch(language, value => (document.documentElement.lang = value), { immediate: true });

/** The translation of `key`, for code outside components. */
export const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {});

/** A date and time in the user's language (the API's times are ISO strings). */
export function formatTime(value: string | number | Date | null | undefined): string {
  if (value == null || value === '') return '';
  return new Date(value).toLocaleString(language.value);
}

/** A number in the user's language (thousands separators). */
export function formatNumber(value: number | null | undefined, digits?: number): string {
  if (value == null) return '';
  return value.toLocaleString(language.value, digits == null ? undefined : { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A size in bytes as people read it (B, KB, MB), the number in the user's language. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) return '';
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  return bytes < 1048576 ? `${formatNumber(bytes / 1024, 1)} KB` : `${formatNumber(bytes / 1048576, 1)} MB`;
}

/**
 * The words for an API refusal in the console's language. English shows the API's own message (callers parse it, and it
 * names what was wrong). Chinese shows `errors.<Reason>.<SubReason>` with the envelope's `detail` filled in, else
 * `errors.<Reason>._` followed by the API's message, else the API's message.
 */
export function errorMessage(reason: string, apiMessage: string, detail: Record<string, unknown> = {}): string {
  if (language.value === 'en' || !reason) return apiMessage;
  const { te } = i18n.global;
  const [kind, sub] = reason.split('.');
  if (sub && te(`errors.${kind}.${sub}`)) return t(`errors.${kind}.${sub}`, detail);
  if (te(`errors.${kind}._`)) return `${t(`errors.${kind}._`)}: ${apiMessage}`;
  return apiMessage;
}
