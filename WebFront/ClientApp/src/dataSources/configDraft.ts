import type { Schemas } from '../lib/api';
import { i18n, t } from '../i18n';

/** One MQTT subscription row: messages on `topic` go to the exported func `funcId`. */
export interface TopicHandler {
  topic: string;
  funcId: string;
  isDisabled: boolean;
}

export type FieldValue = string | number | boolean | TopicHandler[] | undefined;

/**
 * What the form edits for a type's config fields: one value per field, plus the secrets the user
 * chose to clear. A secret's value is only what the user typed: the server never answers one.
 */
export interface ConfigDraft {
  values: Record<string, FieldValue>;
  clearedSecrets: string[];
}

/** The form's starting values: the source's config where there is one, else each field's default. */
export function draftOf(type: Schemas['DataSourceTypeView'], config?: unknown): ConfigDraft {
  const given = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  const values: Record<string, FieldValue> = {};
  for (const field of type.fields) values[field.name] = startingValue(field, given[field.name]);
  return { values, clearedSecrets: [] };
}

function startingValue(field: Schemas['ConfigFieldView'], given: unknown): FieldValue {
  const value = given ?? field.default ?? undefined;
  switch (field.kind) {
    case 'secret': return '';
    case 'port':
    case 'count': return value === undefined || value === '' ? undefined : Number(value);
    // Defaults come as text ("False"), configs as JSON booleans.
    case 'boolean': return typeof value === 'boolean' ? value : String(value).toLowerCase() === 'true';
    case 'topicHandlers': return Array.isArray(value) ? (value as TopicHandler[]).map(h => ({ ...h, isDisabled: !!h.isDisabled })) : [];
    default: return value === undefined || value === null ? '' : String(value);
  }
}

/**
 * The `configJSON` to send. Empty fields are left out so the server applies its defaults; a secret
 * left empty is left out so the server keeps it, and a cleared one is sent as "" (the API's rule).
 */
export function configBody(type: Schemas['DataSourceTypeView'], draft: ConfigDraft): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of type.fields) {
    const value = draft.values[field.name];
    if (field.kind === 'secret') {
      if (draft.clearedSecrets.includes(field.name)) body[field.name] = '';
      else if (typeof value === 'string' && value !== '') body[field.name] = value;
    } else if (field.kind === 'topicHandlers') {
      body[field.name] = (value as TopicHandler[]).filter(h => h.topic.trim() || h.funcId);
    } else if (typeof value === 'string') {
      if (value.trim()) body[field.name] = value.trim();
    } else if (value !== undefined) {
      body[field.name] = value;
    }
  }
  return body;
}

/**
 * The label of a config field: the catalogue's (`dataSources.fields.<name>`) for the fields known here, else derived from
 * the server's field name (`clientId` → "Client ID", `useTLS` → "Use TLS").
 */
export function fieldLabel(name: string): string {
  if (i18n.global.te(`dataSources.fields.${name}`)) return t(`dataSources.fields.${name}`);
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/\b(id|tls)\b/g, w => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}
