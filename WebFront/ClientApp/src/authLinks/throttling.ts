import type { Schemas } from '../lib/api';
import { t } from '../i18n';

/** The throttling windows of an auth link, in order (M2); `unit` names the window in `authLinks.units`. */
export const throttlingUnits: { key: keyof Schemas['Throttling']; unit: string }[] = [
  { key: 'bySecond', unit: 'second' },
  { key: 'byMinute', unit: 'minute' },
  { key: 'byHour', unit: 'hour' },
  { key: 'byDay', unit: 'day' },
  { key: 'byMonth', unit: 'month' },
  { key: 'byYear', unit: 'year' },
];

/** A throttling window's name in the console's language ("second"). */
export const throttlingUnitLabel = (unit: string) => t(`authLinks.units.${unit}`);

/** "10/second, 100/day", or "none". */
export function describeThrottling(throttling: Schemas['Throttling']) {
  const limits = throttlingUnits.filter(u => throttling[u.key])
    .map(u => t('authLinks.limitPerUnit', { count: throttling[u.key], unit: throttlingUnitLabel(u.unit) }));
  return limits.length ? limits.join(', ') : t('authLinks.noThrottling');
}
