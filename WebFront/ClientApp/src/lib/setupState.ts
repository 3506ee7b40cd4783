import { ref } from 'vue';
import { api, unwrap } from './api';

/** Whether the first administrator exists; loaded once, by the router's first navigation. */
export const isSetUp = ref(false);

/** The funcs one can sign in through (`DFF.API(integration='signIn')`), offered by the sign-in page. */
export const signInFuncs = ref<{ id: string; title: string }[]>([]);

/** The operator runs scripts without the sandbox (OrleansFunc:Engine:AcceptUnisolatedWorkers): every page says so. */
export const unisolatedWorkers = ref(false);

export async function loadSetupState(): Promise<boolean> {
  const state = await unwrap(api.GET('/api/v1/setup'));
  isSetUp.value = state.isSetUp;
  unisolatedWorkers.value = state.unisolatedWorkers;
  signInFuncs.value = state.signInFuncs;
  return state.isSetUp;
}
