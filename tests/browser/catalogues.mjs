// The console's message catalogues as the tests read them: every message of a language as `area.path.to.key` → text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const locales = join(import.meta.dirname, '..', '..', 'WebFront', 'ClientApp', 'src', 'i18n', 'locales');

export const languages = readdirSync(locales).filter(name => statSync(join(locales, name)).isDirectory()).sort();

export function catalogue(language) {
  const keys = new Map();
  const walk = (prefix, node) => {
    for (const [name, value] of Object.entries(node)) {
      const key = `${prefix}.${name}`;
      if (value !== null && typeof value === 'object') walk(key, value);
      else keys.set(key, value);
    }
  };
  for (const file of readdirSync(join(locales, language)).filter(name => name.endsWith('.json'))) {
    walk(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(locales, language, file), 'utf8')));
  }
  return keys;
}
