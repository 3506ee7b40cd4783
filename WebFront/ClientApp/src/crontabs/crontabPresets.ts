/**
 * Common schedules offered beside the crontab field, so the usual ones need no crontab syntax; `key` names the preset
 * in `crontabs.presets`.
 */
export const crontabPresets = [
  { key: 'everyMinute', crontab: '* * * * *' },
  { key: 'every5Minutes', crontab: '*/5 * * * *' },
  { key: 'everyHour', crontab: '0 * * * *' },
  { key: 'everyDay', crontab: '0 0 * * *' },
  { key: 'everyMonday', crontab: '0 0 * * 1' },
  { key: 'firstOfMonth', crontab: '0 0 1 * *' },
];
