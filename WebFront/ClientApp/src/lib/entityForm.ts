import { onMounted, ref, type Ref } from 'vue';
import { useRouter } from 'vue-router';
import { ElMessage, ElMessageBox, type FormInstance } from 'element-plus';
import { unwrap, type Fetched } from './api';
import { deleteAndRefresh } from '../scripts/library';
import { confirmingBreaks } from './brokenCallers';
import { t } from '../i18n';

/** How one entity's add-or-set-up form loads, saves and (for library entities) deletes. */
export interface EntityFormOptions {
  /** The entity being set up; undefined on the "new" page. */
  id: () => string | undefined;
  /** Reads the entity into the form's model. */
  load: (id: string) => Promise<void>;
  /** Writes the model: an update when `id` is set, a creation otherwise. */
  write: (id: string | undefined) => Promise<Fetched<unknown>>;
  /** What the entity is called in messages, in the user's language: "Batch" gives "Batch saved". */
  noun: string;
  /** What happens once saved (often: back to the list). */
  afterSave?: (id: string | undefined) => Promise<unknown> | void;
  /** The el-form whose rules are checked before saving. */
  form?: Ref<FormInstance | undefined>;
  /**
   * Deletion of an entity of the script library, with the question asked first; `force` is set once the user agreed to
   * break the callers the server listed.
   */
  remove?: { question: (id: string) => string; request: (id: string, force: boolean) => Promise<Fetched<unknown>> };
}

/**
 * The skeleton every entity form repeats: load on mount, validate, save with a busy flag and a
 * message, then move on; and for library entities, delete after confirmation and refresh the tree.
 */
export function useEntityForm(options: EntityFormOptions) {
  const router = useRouter();
  const saving = ref(false);

  onMounted(async () => {
    const id = options.id();
    if (id) await options.load(id);
  });

  async function save() {
    if (options.form && !(await options.form.value?.validate().catch(() => false))) return;
    saving.value = true;
    try {
      await unwrap(options.write(options.id()));
      ElMessage.success(t('lib.entityForm.saved', { noun: options.noun }));
      await options.afterSave?.(options.id());
    } finally {
      saving.value = false;
    }
  }

  async function remove() {
    const id = options.id()!;
    const { question, request } = options.remove!;
    const title = t('lib.entityForm.deleteTitle', { noun: options.noun, lowerNoun: options.noun.toLowerCase() });
    await ElMessageBox.confirm(question(id), title, { type: 'warning', confirmButtonText: t('common.delete') });
    await confirmingBreaks(force => deleteAndRefresh(() => request(id, force)), title, t('lib.brokenCallers.deleteAnyway'));
    ElMessage.success(t('lib.entityForm.deleted', { noun: options.noun }));
    await router.push({ name: 'intro' });
  }

  return { saving, save, remove, router };
}
