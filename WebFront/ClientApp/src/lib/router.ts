import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { loadCurrentUser } from './currentUser';
import { loadExperimentalFeatures } from './experimentalFeatures';
import { session } from './session';
import { isSetUp, loadSetupState } from './setupState';

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without signing in. */
    public?: boolean;
    /** For administrators only: hidden from members, whom the server answers 403.15. */
    adminOnly?: boolean;
    /** Shown while this experimental feature is on (M8). */
    feature?: string;
  }
}

const adminOnly = { adminOnly: true };

const routes: RouteRecordRaw[] = [
  { path: '/setup', name: 'setup', component: () => import('../users/SetupPage.vue'), meta: { public: true } },
  { path: '/sign-in', name: 'sign-in', component: () => import('../users/SignInPage.vue'), meta: { public: true } },
  { path: '/auth-link-docs', name: 'auth-link-docs', component: () => import('../authLinks/AuthLinkDocsPage.vue'), meta: { public: true } },
  { path: '/func-docs', name: 'func-docs', component: () => import('../funcs/FuncDocsPage.vue') },
  {
    path: '/',
    component: () => import('../components/AppLayout.vue'),
    children: [
      { path: '', redirect: { name: 'intro' } },
      {
        path: 'development',
        component: () => import('../scripts/DevelopmentLayout.vue'),
        children: [
          { path: '', name: 'intro', component: () => import('../scripts/IntroPage.vue') },
          { path: 'script-sets/new', name: 'script-set-new', component: () => import('../scriptSets/ScriptSetForm.vue') },
          { path: 'script-sets/:id/setup', name: 'script-set-setup', component: () => import('../scriptSets/ScriptSetForm.vue'), props: true },
          { path: 'scripts/new', name: 'script-new', component: () => import('../scripts/ScriptForm.vue') },
          { path: 'scripts/:id/setup', name: 'script-setup', component: () => import('../scripts/ScriptForm.vue'), props: true },
          { path: 'scripts/:id', name: 'script', component: () => import('../scripts/ScriptViewer.vue'), props: true },
          { path: 'scripts/:id/edit', name: 'script-edit', component: () => import('../scripts/ScriptEditor.vue'), props: true },
          { path: 'env-variables/new', name: 'env-variable-new', component: () => import('../envVars/EnvVarForm.vue') },
          { path: 'env-variables/:id/setup', name: 'env-variable-setup', component: () => import('../envVars/EnvVarForm.vue'), props: true },
          { path: 'data-sources/new', name: 'data-source-new', component: () => import('../dataSources/DataSourceForm.vue') },
          { path: 'data-sources/:id/setup', name: 'data-source-setup', component: () => import('../dataSources/DataSourceForm.vue'), props: true },
          { path: 'data-sources/:id', name: 'data-source', component: () => import('../dataSources/DataSourceDebugPage.vue'), props: true },
        ],
      },
      {
        path: 'management',
        component: () => import('../components/SideMenuLayout.vue'),
        props: { menu: 'management' },
        children: [
          { path: '', redirect: { name: 'overview' } },
          { path: 'overview', name: 'overview', component: () => import('../platform/OverviewPage.vue') },
          { path: 'about', name: 'about', component: () => import('../platform/AboutPage.vue') },
          { path: 'auth-links', name: 'auth-links', component: () => import('../authLinks/AuthLinksPage.vue') },
          { path: 'auth-links/new', name: 'auth-link-new', component: () => import('../authLinks/AuthLinkForm.vue') },
          { path: 'auth-links/:id/setup', name: 'auth-link-setup', component: () => import('../authLinks/AuthLinkForm.vue'), props: true },
          { path: 'crontab-configs', name: 'crontab-configs', component: () => import('../crontabs/CrontabConfigsPage.vue') },
          { path: 'crontab-configs/new', name: 'crontab-config-new', component: () => import('../crontabs/CrontabConfigForm.vue') },
          { path: 'crontab-configs/:id/setup', name: 'crontab-config-setup', component: () => import('../crontabs/CrontabConfigForm.vue'), props: true },
          { path: 'batches', name: 'batches', component: () => import('../batches/BatchesPage.vue') },
          { path: 'api-auths', name: 'api-auths', component: () => import('../apiAuths/ApiAuthsPage.vue') },
          { path: 'resources', name: 'resources', component: () => import('../resources/ResourcesPage.vue') },
          { path: 'python-packages', name: 'python-packages', component: () => import('../pythonPackages/PythonPackagesPage.vue') },
          { path: 'task-records', name: 'task-records', component: () => import('../tasks/TaskRecordsPage.vue') },
          { path: 'batches/new', name: 'batch-new', component: () => import('../batches/BatchForm.vue') },
          { path: 'batches/:id/setup', name: 'batch-setup', component: () => import('../batches/BatchForm.vue'), props: true },
          { path: 'env-variables', name: 'env-variables', component: () => import('../envVars/EnvVarsPage.vue') },
          { path: 'script-packages/export', name: 'package-export', component: () => import('../packages/PackageExportPage.vue'), meta: adminOnly },
          { path: 'script-packages/import', name: 'package-import', component: () => import('../packages/PackageImportPage.vue'), meta: adminOnly },
          { path: 'restore-points', name: 'restore-points', component: () => import('../library/RestorePointsPage.vue'), meta: adminOnly },
          { path: 'operation-records', name: 'operation-records', component: () => import('../records/OperationRecordsPage.vue'), meta: adminOnly },
          { path: 'request-log', name: 'request-log', component: () => import('../records/RequestLogPage.vue'), meta: adminOnly },
          { path: 'experimental-features', name: 'experimental-features', component: () => import('../platform/ExperimentalFeaturesPage.vue') },
          {
            path: 'func-caches',
            name: 'func-caches',
            component: () => import('../platform/FuncCacheManagerPage.vue'),
            meta: { ...adminOnly, feature: 'funcCacheManager' },
          },
          {
            path: 'func-stores',
            name: 'func-stores',
            component: () => import('../platform/FuncStoreManagerPage.vue'),
            meta: { ...adminOnly, feature: 'funcStoreManager' },
          },
        ],
      },
      {
        path: 'settings',
        component: () => import('../components/SideMenuLayout.vue'),
        props: { menu: 'settings' },
        children: [
          { path: '', redirect: { name: 'editor-settings' } },
          { path: 'editor', name: 'editor-settings', component: () => import('../settings/EditorSettingsPage.vue') },
          { path: 'profile', name: 'profile', component: () => import('../users/ProfilePage.vue') },
          { path: 'password', name: 'password', component: () => import('../users/PasswordPage.vue') },
          { path: 'clear-cache', name: 'clear-cache', component: () => import('../platform/ClearCachePage.vue') },
          { path: 'members', name: 'members', component: () => import('../users/MembersPage.vue'), meta: adminOnly },
          { path: 'access-keys', name: 'access-keys', component: () => import('../users/AccessKeysPage.vue'), meta: adminOnly },
        ],
      },
    ],
  },
  { path: '/:unknown(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

/** A fresh install goes to setup (E1); a signed-out visitor goes to sign-in, then back. */
router.beforeEach(async to => {
  if (!isSetUp.value && !(await loadSetupState())) return to.name === 'setup' ? true : { name: 'setup' };
  if (to.name === 'setup') return { name: 'sign-in' };
  if (!to.meta.public && !session.active.value) return { name: 'sign-in', query: { next: to.fullPath } };
  if (to.meta.adminOnly && (await loadCurrentUser()).role !== 'admin') return { name: 'overview' };
  if (to.meta.feature && !(await loadExperimentalFeatures()).some(f => f.id === to.meta.feature && f.isEnabled)) return { name: 'experimental-features' };
  return true;
});

session.onExpired = () => {
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.push({ name: 'sign-in', query: { next: current.fullPath, expired: '1' } });
};
