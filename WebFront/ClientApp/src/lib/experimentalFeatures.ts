import { ref, watch } from 'vue';
import { api, unwrap, type Schemas } from './api';
import { session } from './session';

/** The installation's experimental switches (M8), loaded once per sign-in; the menus show what they enable. */
export const experimentalFeatures = ref<Schemas['ExperimentalFeature'][] | null>(null);

export async function loadExperimentalFeatures(): Promise<Schemas['ExperimentalFeature'][]> {
  experimentalFeatures.value ??= await unwrap(api.GET('/api/v1/experimental-features'));
  return experimentalFeatures.value;
}

export async function setExperimentalFeature(id: string, isEnabled: boolean): Promise<void> {
  const changed = await unwrap(api.PATCH('/api/v1/experimental-features/{id}', { params: { path: { id } }, body: { isEnabled } }));
  experimentalFeatures.value = (experimentalFeatures.value ?? []).map(feature => (feature.id === id ? changed : feature));
}

export const isFeatureEnabled = (id: string) => !!experimentalFeatures.value?.find(feature => feature.id === id)?.isEnabled;

watch(session.active, () => (experimentalFeatures.value = null));
