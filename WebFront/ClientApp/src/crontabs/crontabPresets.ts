/** Common schedules offered beside the crontab field, so the usual ones need no crontab syntax. */
export const crontabPresets = [
  { label: 'Every minute', crontab: '* * * * *' },
  { label: 'Every 5 minutes', crontab: '*/5 * * * *' },
  { label: 'Every hour', crontab: '0 * * * *' },
  { label: 'Every day at 00:00', crontab: '0 0 * * *' },
  { label: 'Every Monday at 00:00', crontab: '0 0 * * 1' },
  { label: 'First day of the month', crontab: '0 0 1 * *' },
];
