import type { FormItemRule } from 'element-plus';

/** A form rule: the text is a JSON object (kwargs, kwargs templates). */
export const jsonObjectRule: FormItemRule = {
  validator: (_rule, value: string, done) => {
    try {
      const parsed: unknown = JSON.parse(value || '{}');
      done(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? undefined : new Error('Must be a JSON object'));
    } catch (error) {
      done(new Error(`Not valid JSON: ${(error as Error).message}`));
    }
  },
};
