import type { Schemas } from '../lib/api';
import { t } from '../i18n';

/** The API auth types (the API's `type`), in the order the console offers them. */
export const apiAuthTypes: Schemas['ApiAuthType'][] = ['fixedField', 'httpBasic', 'func'];

/** An API auth type as the console names it, in the console's language. */
export const apiAuthTypeLabel = (type: Schemas['ApiAuthType']) => t(`apiAuths.types.${type}`);
