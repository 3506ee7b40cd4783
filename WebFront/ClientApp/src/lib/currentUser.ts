import { ref, watch } from 'vue';
import { api, unwrap, type Schemas } from './api';
import { session } from './session';
import { useLanguage } from '../i18n';

/** The signed-in user, loaded once per sign-in. */
export const currentUser = ref<Schemas['UserInfo'] | null>(null);

export async function loadCurrentUser(): Promise<Schemas['UserInfo']> {
  if (!currentUser.value) {
    currentUser.value = await unwrap(api.GET('/api/v1/me'));
    // The language the user chose follows them to any browser.
    if (currentUser.value.language) useLanguage(currentUser.value.language);
  }
  return currentUser.value;
}

watch(session.active, () => (currentUser.value = null));
