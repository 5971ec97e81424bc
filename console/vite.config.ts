/**
 * Builds the console into console/dist: the local cloud serves it at `/`, CDK uploads it to S3. `config.json`
 * (public/) is the local cloud's runtime config; on AWS the deployment writes its own next to the app.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // exceljs (the meeting pack's XLSX download, about 930 kB) is a chunk of its own, loaded only when a workbook
    // is asked for; everything loaded at start stays under the default 500 kB.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // `npm run dev:console` next to `npm start`: the API and the local endpoints live on the gateway.
    proxy: Object.fromEntries(['/cases', '/queues', '/dashboard', '/sops', '/departments', '/_local', '/oauth2', '/.well-known'].map((p) => [p, 'http://localhost:3000'])),
  },
});
