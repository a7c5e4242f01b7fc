/** Builds the web app (designer, tasklist, SLA dashboard) into designer/dist, served by the engine. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { formJsTexts } from './form-js-texts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  // form-js's own texts (validation, placeholders, the form editor) follow the app's language
  plugins: [formJsTexts()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // bpmn-js and form-js are large by nature; the pages load them lazily, per route.
    chunkSizeWarningLimit: 2500,
  },
  server: {
    // The svc moddle descriptor is shared with the engine (../engine/bpmn/moddle/svc.json).
    fs: { allow: ['..'] },
    proxy: { '/api': 'http://localhost:3000' },
  },
});
