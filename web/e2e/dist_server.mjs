// For working on the dashboard against a server binary that does not embed the current web/dist
// (SEOAGENTS_E2E_SERVE_DIST=1): serves web/dist as the server does — `/` and `/assets/*` with the
// same cache headers and Content-Security-Policy — and passes /v1 (REST and WebSocket upgrades)
// through to the real server. Without that variable the tests open the server's own `/`.
import { readFile } from "node:fs/promises";
import { createServer, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { extname, join, normalize } from "node:path";

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self'; " +
  "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".png": "image/png",
};

async function serveFile(distDir, path, response) {
  const file = path === "/" ? "index.html" : normalize(path).replace(/^\/+/, "");
  if (file !== "index.html" && !file.startsWith("assets/")) return response.writeHead(404).end();
  try {
    const body = await readFile(join(distDir, file));
    response.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Cache-Control": file === "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
      "Content-Security-Policy": CONTENT_SECURITY_POLICY,
      "X-Content-Type-Options": "nosniff",
    });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
}

function passThrough(target, request, response) {
  const upstream = httpRequest(
    {
      host: "127.0.0.1",
      port: target.port,
      path: request.url,
      method: request.method,
      headers: request.headers,
    },
    (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on("error", () => response.writeHead(502).end());
  request.pipe(upstream);
}

function passUpgrade(target, request, socket, head) {
  const upstream = connect(target.port, "127.0.0.1", () => {
    const headers = Object.entries(request.headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join("\r\n");
    upstream.write(`${request.method} ${request.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on("error", () => socket.destroy());
  socket.on("error", () => upstream.destroy());
}

export async function startDistServer(distDir, target) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://localhost").pathname;
    if (path.startsWith("/v1/") || path === "/v1") return passThrough(target, request, response);
    return serveFile(distDir, path, response);
  });
  server.on("upgrade", (request, socket, head) => passUpgrade(target, request, socket, head));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}
