import { ref, watch } from 'vue';
import { api, unwrap, type Schemas } from './api';
import { session } from './session';

/** The signed-in user, loaded once per sign-in. */
export const currentUser = ref<Schemas['UserInfo'] | null>(null);

export async function loadCurrentUser(): Promise<Schemas['UserInfo']> {
  currentUser.value ??= await unwrap(api.GET('/api/v1/me'));
  return currentUser.value;
}

watch(session.active, () => (currentUser.value = null));
