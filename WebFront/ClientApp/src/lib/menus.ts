import { currentUser } from './currentUser';
import { isFeatureEnabled } from './experimentalFeatures';
import { router } from './router';

/** The side menus of the management and settings sections, in the order of the DataFlux Func manual. */
export const menus = {
  management: [
    { name: 'overview', label: 'Overview' },
    { name: 'about', label: 'About' },
    { name: 'auth-links', label: 'Auth links' },
    { name: 'crontab-configs', label: 'Crontab configs' },
    { name: 'batches', label: 'Batches' },
    { name: 'api-auths', label: 'API auths' },
    { name: 'env-variables', label: 'Env variables' },
    { name: 'resources', label: 'Resources' },
    { name: 'python-packages', label: 'Python packages' },
    { name: 'package-export', label: 'Script package export' },
    { name: 'package-import', label: 'Script package import' },
    { name: 'restore-points', label: 'Script library restore' },
    { name: 'task-records', label: 'Task records' },
    { name: 'operation-records', label: 'Operation records' },
    { name: 'request-log', label: 'Request log' },
    { name: 'experimental-features', label: 'Experimental features' },
    { name: 'func-caches', label: 'Func cache manager' },
    { name: 'func-stores', label: 'Func store manager' },
  ],
  settings: [
    { name: 'clear-cache', label: 'Clear caches' },
    { name: 'editor-settings', label: 'Code editor' },
    { name: 'profile', label: 'Profile' },
    { name: 'password', label: 'Change password' },
    { name: 'members', label: 'Members' },
    { name: 'access-keys', label: 'Access keys' },
  ],
};

/** Whether the signed-in user may open the named page: its route says who and under which experimental feature. */
export function isOpenToCurrentUser(name: string): boolean {
  const { meta } = router.resolve({ name });
  if (meta.adminOnly && currentUser.value?.role !== 'admin') return false;
  return !meta.feature || isFeatureEnabled(meta.feature);
}
