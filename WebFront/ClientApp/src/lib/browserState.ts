/**
 * What the console keeps in this browser (editor settings, remembered choices, the language chosen here) under keys
 * starting with `orleansfunc.`. A reset drops all of it but the sign-in mark, so a page stuck on a bad saved value opens
 * fresh without signing in again.
 */
const prefix = 'orleansfunc.';
const kept = new Set(['orleansfunc.signedIn']);

export function keptKeys(): string[] {
  return Object.keys(localStorage).filter(key => key.startsWith(prefix) && !kept.has(key));
}

export function resetBrowserState(): number {
  const keys = keptKeys();
  for (const key of keys) localStorage.removeItem(key);
  sessionStorage.clear();
  return keys.length;
}
