import type { Schemas } from '../lib/api';
import { t } from '../i18n';

type LinkLimit = Exclude<keyof Schemas['Throttling'], 'perCaller'>;
type CallerLimit = Exclude<keyof Schemas['CallerThrottling'], 'by'>;

/** The throttling windows of an auth link, in order (M2); `unit` names the window in `authLinks.units`. */
export const throttlingUnits: { key: LinkLimit; unit: string }[] = [
  { key: 'bySecond', unit: 'second' },
  { key: 'byMinute', unit: 'minute' },
  { key: 'byHour', unit: 'hour' },
  { key: 'byDay', unit: 'day' },
  { key: 'byMonth', unit: 'month' },
  { key: 'byYear', unit: 'year' },
];

/** The windows a caller's own limits may have (issue 25.5). */
export const callerThrottlingUnits = throttlingUnits.slice(0, 4) as { key: CallerLimit; unit: string }[];

/** How callers are told apart: by address, or by a header's value (an API key of the caller's own). */
export const callerKinds = ['ip', 'header'] as const;

/** The API's `by` of a caller told apart by a header: this prefix, then the header's name. */
export const callerHeaderPrefix = 'header:';

/** A throttling window's name in the console's language ("second"). */
export const throttlingUnitLabel = (unit: string) => t(`authLinks.units.${unit}`);

/** "10/second, 100/day; per caller (ip): 5/minute", or "none". */
export function describeThrottling(throttling: Schemas['Throttling']) {
  const limits = throttlingUnits.filter(u => throttling[u.key])
    .map(u => t('authLinks.limitPerUnit', { count: throttling[u.key], unit: throttlingUnitLabel(u.unit) }));
  const perCaller = throttling.perCaller;
  if (perCaller) {
    const callerLimits = callerThrottlingUnits.filter(u => perCaller[u.key])
      .map(u => t('authLinks.limitPerUnit', { count: perCaller[u.key], unit: throttlingUnitLabel(u.unit) }));
    limits.push(t('authLinks.perCallerLimits', { by: perCaller.by, limits: callerLimits.join(', ') }));
  }
  return limits.length ? limits.join(', ') : t('authLinks.noThrottling');
}
