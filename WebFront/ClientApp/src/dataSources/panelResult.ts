import { t } from '../i18n';

/**
 * What the debug panel's query answers (D3), bounded by the server to 1000 rows and 1 MB: rows of a
 * SQL query, the affected row count of a statement, a command's result (with the HTTP status for
 * HTTP types), or, past the size limit, the start of the answer as text.
 */
export interface PanelResult {
  columns?: string[];
  rows?: Record<string, unknown>[];
  rowCount?: number;
  result?: unknown;
  status?: number;
  text?: string;
  truncated?: boolean;
}

/** The result as the "Copy result" button puts it on the clipboard. */
export function resultText(answer: PanelResult): string {
  if (answer.text !== undefined) return answer.text;
  if (answer.rows) return JSON.stringify(answer.rows, null, 2);
  if (answer.rowCount !== undefined) return t('dataSources.result.rowsAffected', { n: answer.rowCount });
  return JSON.stringify(answer.result ?? null, null, 2);
}

/** A table cell: SQL NULL stays visible, nested values show as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
