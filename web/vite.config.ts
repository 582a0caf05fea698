/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig, type Plugin } from 'vite';

// The API reference page (/api/docs, served by the binary from dist/api-docs.html): Redoc's
// standalone bundle copied as a hashed asset, so the page needs nothing but its own origin, and
// api-docs/index.html pointing at it. The page has no inline script: the bundle renders the
// <redoc spec-url> element by itself.
function apiDocs(): Plugin {
  const require = createRequire(import.meta.url);
  return {
    name: 'bonafides-api-docs',
    apply: 'build',
    generateBundle() {
      // The bundle's one outside file, the attribution's logo, becomes an empty image: the page
      // asks no other origin for anything (the link to Redocly stays).
      const logo = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
      const bundle = readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), 'utf8');
      if (!bundle.includes(logo)) this.error(`redoc.standalone.js no longer names ${logo}: check what it loads`);
      const ref = this.emitFile({
        type: 'asset',
        name: 'redoc.standalone.js',
        source: bundle.replaceAll(logo, 'data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E'),
      });
      const page = readFileSync(new URL('./api-docs/index.html', import.meta.url), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: 'api-docs.html',
        source: page.replace('%REDOC%', `/${this.getFileName(ref)}`),
      });
    },
  };
}

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
  plugins: [apiDocs()],
  server: { proxy },
  preview: { proxy },
  build: { target: 'es2022', sourcemap: false },
  test: { include: ['src/**/*.test.ts'] },
});
