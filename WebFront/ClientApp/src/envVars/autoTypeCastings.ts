import type { Schemas } from '../lib/api';

/** How `DFF.ENV` converts each auto-type (D4), as the form explains it. */
export const autoTypeCastings: { value: Schemas['AutoTypeCasting']; label: string; hint: string }[] = [
  { value: 'string', label: 'String', hint: 'returned as it is' },
  { value: 'integer', label: 'Integer', hint: 'int(value)' },
  { value: 'float', label: 'Float', hint: 'float(value)' },
  { value: 'boolean', label: 'Boolean', hint: 'true/yes/on → True, false/no/off → False (any case)' },
  { value: 'json', label: 'JSON', hint: 'parsed as JSON' },
  { value: 'commaArray', label: 'Comma-separated array', hint: 'split at commas into a list of strings' },
  { value: 'password', label: 'Password', hint: 'returned as it is; kept encrypted, never shown again, masked as ***** in print logs and errors' },
];
