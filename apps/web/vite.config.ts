import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.resolve(import.meta.dirname, '../..');
// The platform-neutral libs are compiled from their TypeScript sources, so
// the browser bundle never depends on their CommonJS dist output.
const sourceLibs = ['client', 'contracts', 'editor-binding', 'ot'];

// Vite reads the default export of its config file.
// eslint-disable-next-line no-restricted-syntax
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: Object.fromEntries(
      sourceLibs.map((lib) => [`@collab/${lib}`, path.join(root, `libs/${lib}/src/index.ts`)]),
    ),
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    // `npm run dev -w @collab/web` against a running `npm start` stack.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
