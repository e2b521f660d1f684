// Vite build for the motcua web front end (Preact via esbuild's automatic JSX runtime).
import { defineConfig } from 'vite';

declare const process: { env: Record<string, string | undefined> };

export default defineConfig({
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    emptyOutDir: true,
  },
  server: {
    // During `npm run dev`, forward API calls to a locally running server.
    proxy: { '/api': process.env.MOTCUA_API ?? 'http://127.0.0.1:8080' },
  },
});
