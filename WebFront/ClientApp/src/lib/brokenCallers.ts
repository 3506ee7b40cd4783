import { h } from 'vue';
import { ElMessageBox } from 'element-plus';
import { ApiError, type Schemas } from './api';
import { t } from '../i18n';

type BrokenCaller = Schemas['BrokenCaller'];

/** The callers a refused publish or delete lists (403.21 with `broken`), or null for any other failure. */
function brokenCallersOf(error: unknown): BrokenCaller[] | null {
  return error instanceof ApiError && error.status === 403 && Array.isArray(error.detail.broken) ? (error.detail.broken as BrokenCaller[]) : null;
}

/**
 * Runs `action` unconfirmed; when the server answers that it would break callers of the funcs (auth links, batches,
 * crontab configs, topic handlers), lists them with why, and runs it again confirmed if the user agrees.
 */
export async function confirmingBreaks<T>(action: (confirmed: boolean) => Promise<T>, title: string, goAhead: string): Promise<T> {
  try {
    return await action(false);
  } catch (error) {
    const broken = brokenCallersOf(error);
    if (!broken) throw error;
    const list = h('div', { 'data-test': 'broken-callers' }, [
      h('p', t('lib.brokenCallers.explain', { n: broken.length })),
      h('ul', { class: 'broken-callers' }, broken.map(b => h('li', { 'data-test': `broken:${b.id}` }, [
        h('b', `${t(`lib.brokenCallers.kinds.${b.kind}`)} ${b.id}`), `: ${b.problem}`,
      ]))),
    ]);
    await ElMessageBox.confirm(list, title, { type: 'warning', confirmButtonText: goAhead, customClass: 'broken-callers-box' });
    return action(true);
  }
}
