import { reactive } from 'vue';
import { api, listAll, unwrap, type Schemas } from '../lib/api';

/**
 * The data sources the side bar lists and the types their forms are built from (D1). The types
 * come from the server once; pages that change a source call `refreshDataSources`.
 */
export const dataSources = reactive({
  sources: [] as Schemas['DataSourceView'][],
  types: [] as Schemas['DataSourceTypeView'][],
  loading: false,
  /** The data source shown in the floating debug panel, if any. */
  panelSourceId: null as string | null,
});

export async function refreshDataSources() {
  dataSources.loading = true;
  try {
    const [sources, types] = await Promise.all([
      listAll(query => api.GET('/api/v1/data-sources', { params: { query } })),
      dataSources.types.length ? dataSources.types : unwrap(api.GET('/api/v1/data-source-types')).then(found => found ?? []),
    ]);
    dataSources.sources = sources;
    dataSources.types = types;
  } finally {
    dataSources.loading = false;
  }
}

/** The descriptor of a type, once the types are loaded. */
export const typeOf = (type: Schemas['DataSourceType']) => dataSources.types.find(t => t.type === type);
