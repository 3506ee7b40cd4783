import type { FormItemRule } from 'element-plus';
import { t } from '../i18n';

/** A form rule: the text is a JSON object (kwargs, kwargs templates). */
export const jsonObjectRule: FormItemRule = {
  validator: (_rule, value: string, done) => {
    try {
      const parsed: unknown = JSON.parse(value || '{}');
      done(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? undefined : new Error(t('funcs.json.notObject')));
    } catch (error) {
      done(new Error(t('funcs.json.notJson', { message: (error as Error).message })));
    }
  },
};
