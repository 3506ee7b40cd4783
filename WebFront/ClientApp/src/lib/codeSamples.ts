import type { Schemas } from './api';
import { t } from '../i18n';

/** Sample calling code shown in the "?" help popovers (E2), as a script of the same platform writes it. */
export const codeSamples = {
  script(scriptId: string, funcs: Schemas['FuncView'][]) {
    const first = funcs[0];
    return [`import ${scriptId}`, first ? `${scriptId}.${first.name}(${kwargsSample(first)})` : `# ${scriptId}.some_func()`].join('\n');
  },

  func(func: Schemas['FuncView']) {
    const scriptId = func.id.slice(0, func.id.lastIndexOf('.'));
    const scriptName = scriptId.slice(scriptId.indexOf('__'));
    return [
      `import ${scriptId}`,
      `${scriptId}.${func.name}(${kwargsSample(func)})`,
      '',
      t('lib.codeSamples.fromSameSet'),
      `from ${scriptName} import ${func.name}`,
    ].join('\n');
  },

  envVar(id: string) {
    return `value = DFF.ENV('${id}')`;
  },
};

/** `a=1, b='text'`: the func's keyword arguments with their defaults, or a placeholder value. */
export function kwargsSample(func: Schemas['FuncView']) {
  return Object.entries((func.kwargs ?? {}) as Record<string, { default?: unknown }>)
    .map(([name, spec]) => `${name}=${spec && 'default' in spec ? pythonLiteral(spec.default) : '...'}`)
    .join(', ');
}

function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return JSON.stringify(value);
}
