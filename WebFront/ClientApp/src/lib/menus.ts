import { currentUser } from './currentUser';
import { isFeatureEnabled } from './experimentalFeatures';
import { router } from './router';

/** The side menus of the management and settings sections, in the order of the DataFlux Func manual (labels: `menus.<name>`). */
export const menus = {
  management: [
    { name: 'overview' },
    { name: 'about' },
    { name: 'auth-links' },
    { name: 'crontab-configs' },
    { name: 'batches' },
    { name: 'api-auths' },
    { name: 'env-variables' },
    { name: 'resources' },
    { name: 'python-packages' },
    { name: 'package-export' },
    { name: 'package-import' },
    { name: 'restore-points' },
    { name: 'task-records' },
    { name: 'operation-records' },
    { name: 'request-log' },
    { name: 'experimental-features' },
    { name: 'func-caches' },
    { name: 'func-stores' },
  ],
  settings: [
    { name: 'clear-cache' },
    { name: 'editor-settings' },
    { name: 'profile' },
    { name: 'password' },
    { name: 'members' },
    { name: 'access-keys' },
  ],
};

/** Whether the signed-in user may open the named page: its route says who and under which experimental feature. */
export function isOpenToCurrentUser(name: string): boolean {
  const { meta } = router.resolve({ name });
  if (meta.adminOnly && currentUser.value?.role !== 'admin') return false;
  return !meta.feature || isFeatureEnabled(meta.feature);
}
