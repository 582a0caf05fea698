/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The API the dev server and `vite preview` forward /api to. The Host header is kept as the
// browser sent it (no changeOrigin), so the server's same-origin check on state-changing requests
// sees Origin and Host agree, exactly as when it serves these files itself.
const api = process.env.BONAFIDES_API ?? 'http://127.0.0.1:8080';
const proxy = {
  '/api': { target: api, changeOrigin: false },
  '/readyz': { target: api, changeOrigin: false },
};

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: { proxy },
  preview: { proxy },
  build: { target: 'es2022', sourcemap: false },
  test: { include: ['src/**/*.test.ts'] },
});
