import { ref } from 'vue';
import { api, unwrap, type Schemas } from './api';

/** The pause of every crontab config (maintenance), as the banner and the crontab page show it; null when none. */
export const crontabPause = ref<Schemas['CrontabPause'] | null>(null);

export async function loadCrontabPause(): Promise<void> {
  const pause = await unwrap(api.GET('/api/v1/crontab-pause'));
  crontabPause.value = pause.pausedUntil ? pause : null;
}
