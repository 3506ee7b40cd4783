/** How each kind of restore point came to be, as the list shows it. */
export const restorePointKinds: Record<string, { label: string; tag: 'primary' | 'info' | 'warning' }> = {
  manual: { label: 'Created by hand', tag: 'primary' },
  beforeRestore: { label: 'Before a restore', tag: 'info' },
  beforeImport: { label: 'Before an import', tag: 'warning' },
  publish: { label: 'After a publish', tag: 'info' },
};
