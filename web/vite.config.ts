// Vite's configuration: the production bundle in dist/ (index.html + hashed files in dist/assets/,
// nothing inlined, so the server's strict Content-Security-Policy holds), and the dev server's
// proxy of /v1 (REST and WebSocket) to a running seoagents (SEOAGENTS_API, default :8080).
import { defineConfig } from "vite";

const apiTarget = process.env.SEOAGENTS_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    // Every asset stays a file: a data: URL would need CSP exceptions the server does not grant.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2020",
    reportCompressedSize: true,
  },
  server: {
    proxy: { "/v1": { target: apiTarget, ws: true, changeOrigin: false } },
  },
});
