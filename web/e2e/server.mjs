// Starts the real seoagents binary for the browser tests: `serve --port 0` on a fresh data
// directory with private targets allowed (the WordPress peer and the webhook receiver are on
// loopback), reads the port and the first API key from its banner, and stops it with SIGTERM.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BANNER_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** The port of "listening on http://127.0.0.1:<port>" and the key printed on its own line. */
export function parseBanner(stdout) {
  const port = stdout.match(/listening on https?:\/\/[^\s:]+:(\d+)/)?.[1];
  const key = stdout.match(/^\s+(sak_\S+)\s*$/m)?.[1];
  return port && key ? { port: Number(port), firstKey: key } : null;
}

function waitForBanner(child, output) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`no banner within ${BANNER_TIMEOUT_MS} ms:\n${output.stdout}\n${output.stderr}`)),
      BANNER_TIMEOUT_MS,
    );
    child.stdout.on("data", (chunk) => {
      output.stdout += chunk;
      const banner = parseBanner(output.stdout);
      if (banner) {
        clearTimeout(timer);
        resolve(banner);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(
        new Error(`the server exited (${code}) before it listened:\n${output.stdout}\n${output.stderr}`),
      );
    });
  });
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function startServer(binary) {
  const dataDir = await mkdtemp(join(tmpdir(), "seoagents-e2e-"));
  const child = spawn(
    binary,
    ["serve", "--port", "0", "--data", dataDir, "--allow-private-targets", "on", "--access-log", "off"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const output = { stdout: "", stderr: "" };
  child.stderr.on("data", (chunk) => {
    output.stderr += chunk;
  });
  const stop = async () => {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const banner = await waitForBanner(child, output);
    return { ...banner, baseUrl: `http://127.0.0.1:${banner.port}`, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
