import { reactive } from 'vue';
import { api, listAll, unwrap, type Fetched, type Schemas } from '../lib/api';

/**
 * The script library the side bar shows (E2): sets, their scripts, the exported funcs of published
 * scripts, and the env variables. Pages that change any of them call `refreshLibrary`.
 */
export const library = reactive({
  scriptSets: [] as Schemas['ScriptSetInfo'][],
  scripts: [] as Schemas['ScriptInfo'][],
  funcs: [] as Schemas['FuncView'][],
  envVars: [] as Schemas['EnvVarInfo'][],
  loading: false,
  /** The script shown in the draggable quick-view panel, if any. */
  quickViewScriptId: null as string | null,
});

export async function refreshLibrary() {
  library.loading = true;
  try {
    const query = (q: { pageNumber: number; pageSize: number }) => ({ params: { query: q } });
    [library.scriptSets, library.scripts, library.funcs, library.envVars] = await Promise.all([
      listAll(q => api.GET('/api/v1/script-sets', query(q))),
      listAll(q => api.GET('/api/v1/scripts', query(q))),
      listAll(q => api.GET('/api/v1/func-list', query(q))),
      listAll(q => api.GET('/api/v1/env-variables', query(q))),
    ]);
  } finally {
    library.loading = false;
  }
}

/** The script ID of a func ID (`set__script.func`). */
export const scriptIdOf = (funcId: string) => funcId.slice(0, funcId.lastIndexOf('.'));

/** Deletes after the caller confirmed, then reloads the tree. */
export async function deleteAndRefresh(remove: () => Promise<Fetched<unknown>>) {
  await unwrap(remove());
  await refreshLibrary();
}
