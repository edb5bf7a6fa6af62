import { defineConfig } from 'vite';

// `vite serve ui` (development) proxies the API and socket to a running hub: UC_HUB, default
// the standalone one.
const hub = process.env['UC_HUB'] ?? 'http://127.0.0.1:8080';

// Relative asset paths: the same build is served at / (standalone) and /unlimited-cluster/ (Webmin).
const root = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/ui', emptyOutDir: true, sourcemap: false, target: 'es2022',
    // Every browser that runs es2022 modules knows modulepreload.
    modulePreload: { polyfill: false },
    // main.tsx as an entry of its own keeps its `mount` export (an HTML entry drops exports):
    // Webmin's page imports it to mount again after a pjax load.
    rolldownOptions: {
      input: { index: `${root}index.html`, main: `${root}src/main.tsx` },
      preserveEntrySignatures: 'allow-extension',
    },
  },
  server: { proxy: { '/api': hub, '/ws': { target: hub.replace(/^http/, 'ws'), ws: true } } },
});
