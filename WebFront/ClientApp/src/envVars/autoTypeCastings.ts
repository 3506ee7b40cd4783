import type { Schemas } from '../lib/api';
import { t } from '../i18n';

/** The auto-types of `DFF.ENV` (D4), in the order the form offers them. */
export const autoTypeCastings: Schemas['AutoTypeCasting'][] = ['string', 'integer', 'float', 'boolean', 'json', 'commaArray', 'password'];

/** An auto-type's name in the console's language ("Comma-separated array"). */
export const autoTypeCastingLabel = (value: string) =>
  (autoTypeCastings as string[]).includes(value) ? t(`envVars.castings.${value}.label`) : value;

/** How `DFF.ENV` converts an auto-type, as the form explains it. */
export const autoTypeCastingHint = (value: string) =>
  (autoTypeCastings as string[]).includes(value) ? t(`envVars.castings.${value}.hint`) : '';
