// The console's message catalogues (WebFront/ClientApp/src/i18n/locales/<language>/<area>.json): every key in both
// languages, every key the code asks for defined, the languages the same as the server's ConsoleLanguage, and every
// error reason of the API's table with a text. No server or browser: it reads the files.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { catalogue, languages } from './catalogues.mjs';

const root = join(import.meta.dirname, '..', '..');
const client = join(root, 'WebFront', 'ClientApp', 'src');
const catalogues = Object.fromEntries(languages.map(language => [language, catalogue(language)]));

function sourceFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap(entry => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'i18n' ? [] : sourceFiles(path);
    return /\.(vue|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

test('the languages are the server\'s ConsoleLanguage values', () => {
  const schema = readFileSync(join(client, 'lib', 'api-schema.d.ts'), 'utf8');
  const declared = /ConsoleLanguage: ([^;]+);/.exec(schema)[1].split('|').map(value => value.trim().replace(/"/g, '')).sort();
  assert.deepEqual(languages, declared);
});

test('every key is in every language, with a text that the message syntax reads as written', () => {
  const all = new Set(Object.values(catalogues).flatMap(keys => [...keys.keys()]));
  for (const language of languages) {
    const missing = [...all].filter(key => !catalogues[language].has(key));
    assert.deepEqual(missing, [], `${language} lacks these keys`);
    for (const [key, text] of catalogues[language]) {
      assert.ok(typeof text === 'string' && text.trim() !== '', `${language} ${key} is empty`);
      // vue-i18n reads @, | and braces as syntax: a literal one is written {'@'} and so on.
      const outsideLiterals = text.replace(/\{'[^']*'\}/g, '').replace(/\{[A-Za-z0-9_]+\}/g, '');
      assert.doesNotMatch(outsideLiterals, /[@|{}]/, `${language} ${key}: write a literal @, | or brace as {'@'}: ${text}`);
    }
  }
});

test('every key the console asks for is defined', () => {
  const used = new Set();
  for (const file of sourceFiles(client)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\b(?:\$?t|te)\(\s*['"]([A-Za-z0-9_.-]+)['"]/g)) used.add(match[1]);
  }
  const menus = readFileSync(join(client, 'lib', 'menus.ts'), 'utf8');
  for (const match of menus.matchAll(/\{ name: '([^']+)' \}/g)) used.add(`menus.${match[1]}`);
  const undefinedKeys = [...used].filter(key => !catalogues.en.has(key));
  assert.deepEqual(undefinedKeys, []);
});

test('every error reason of the API has a text in every language', () => {
  const table = readFileSync(join(root, 'Grains.Interfaces', 'Errors', 'ErrorKind.cs'), 'utf8');
  const reasons = [...table.matchAll(/new\([0-9.]+, "([A-Za-z]+)"/g)].map(match => match[1]);
  assert.ok(reasons.length > 10);
  for (const language of languages) {
    assert.deepEqual(reasons.filter(reason => !catalogues[language].has(`errors.${reason}._`)), [], `${language} lacks error texts`);
  }
});
