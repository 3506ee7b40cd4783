/** How each kind of restore point came to be, as the list shows it (labels: `library.kinds.<kind>`). */
export const restorePointKinds: Record<string, { tag: 'primary' | 'info' | 'warning' }> = {
  manual: { tag: 'primary' },
  beforeRestore: { tag: 'info' },
  beforeImport: { tag: 'warning' },
  publish: { tag: 'info' },
};
