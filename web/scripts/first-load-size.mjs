// Measures the dashboard's first load as the budget counts it: dist/index.html plus every script
// and stylesheet it references, each compressed with gzip -9, summed. Exits 1 over 200 KB.
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 200 * 1024;
const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..", "dist");

const html = await readFile(join(dist, "index.html"));
const referenced = [...html.toString().matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
  (match) => match[1],
);
const files = [
  ["index.html", html],
  ...(await Promise.all(referenced.map(async (path) => [path, await readFile(join(dist, path))]))),
];

let total = 0;
for (const [path, bytes] of files) {
  const compressed = gzipSync(bytes, { level: 9 }).length;
  total += compressed;
  console.log(`${String(compressed).padStart(8)} B  ${path}`);
}
console.log(`${String(total).padStart(8)} B  first load, gzip -9 (budget ${BUDGET_BYTES} B)`);
if (total > BUDGET_BYTES) {
  console.error("The first load is over its budget.");
  process.exit(1);
}
