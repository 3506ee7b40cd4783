import type { Schemas } from '../lib/api';

/** The API auth types as the console names them (the API's `type`). */
export const apiAuthTypeLabels: Record<Schemas['ApiAuthType'], string> = {
  fixedField: 'Fixed field',
  httpBasic: 'HTTP Basic',
  func: 'Func',
};
