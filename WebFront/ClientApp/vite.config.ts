import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The console is served by WebFront at "/"; `npm run dev` proxies the API to a local server.
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8088' },
  },
});
