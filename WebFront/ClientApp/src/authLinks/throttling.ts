import type { Schemas } from '../lib/api';

/** The throttling windows of an auth link, in order (M2). */
export const throttlingUnits: { key: keyof Schemas['Throttling']; label: string }[] = [
  { key: 'bySecond', label: 'second' },
  { key: 'byMinute', label: 'minute' },
  { key: 'byHour', label: 'hour' },
  { key: 'byDay', label: 'day' },
  { key: 'byMonth', label: 'month' },
  { key: 'byYear', label: 'year' },
];

/** "10/second, 100/day", or "none". */
export function describeThrottling(throttling: Schemas['Throttling']) {
  const limits = throttlingUnits.filter(u => throttling[u.key]).map(u => `${throttling[u.key]}/${u.label}`);
  return limits.length ? limits.join(', ') : 'none';
}
