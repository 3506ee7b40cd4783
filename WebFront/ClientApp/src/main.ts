import { createApp } from 'vue';
import ElementPlus, { ElMessage } from 'element-plus';
import 'element-plus/dist/index.css';
import './styles.css';
import App from './App.vue';
import { router } from './lib/router';
import { ApiError } from './lib/api';
import { i18n } from './i18n';

/** An API refusal nobody handled is shown to the user, with the envelope's message. */
function report(reason: unknown) {
  if (reason instanceof ApiError) {
    if (reason.status !== 401) ElMessage.error(reason.localized);
    return true;
  }
  return false;
}

const app = createApp(App);
app.config.errorHandler = (error) => {
  if (!report(error)) console.error(error);
};
window.addEventListener('unhandledrejection', event => {
  if (report(event.reason)) event.preventDefault();
});
app.use(ElementPlus).use(i18n).use(router).mount('#app');
