import { onMounted, ref, shallowRef } from 'vue';
import { unwrapPage, type Fetched } from './api';

type PageFetch<T> = (query: { pageNumber: number; pageSize: number }) => Promise<Fetched<T[]>>;

/**
 * One page of a management listing, with its loading state, for an `el-table` and `el-pagination`.
 * Loads when mounted, unless `loadOnMount` is false (the caller loads when it has something to show).
 */
export function usePagedList<T>(fetchPage: PageFetch<T>, pageSize = 20, loadOnMount = true) {
  const items = shallowRef<T[]>([]);
  const totalCount = ref(0);
  const pageNumber = ref(1);
  const loading = ref(false);

  async function reload() {
    loading.value = true;
    try {
      const page = await unwrapPage(fetchPage({ pageNumber: pageNumber.value, pageSize }));
      items.value = page.items;
      totalCount.value = page.pageInfo.totalCount;
    } finally {
      loading.value = false;
    }
  }

  async function goTo(number: number) {
    pageNumber.value = number;
    await reload();
  }

  if (loadOnMount) onMounted(reload);
  return { items, totalCount, pageNumber, pageSize, loading, reload, goTo };
}
