import { i18n, t } from '../i18n';

/** A task status ("success") in the console's language; a status the console does not know stays as the API says it. */
export function taskStatusLabel(status: string): string {
  return i18n.global.te(`tasks.statuses.${status}`) ? t(`tasks.statuses.${status}`) : status;
}

/** A task origin ("crontab") in the console's language; an unknown one stays as the API says it. */
export function taskOriginLabel(origin: string): string {
  return i18n.global.te(`tasks.origins.${origin}`) ? t(`tasks.origins.${origin}`) : origin;
}
