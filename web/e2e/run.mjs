// The dashboard's browser tests (node:test): Debian's chromium, driven by playwright-core, against
// the real server started here on a fresh data directory; the dashboard is the one the server
// itself serves at `/`. Environment: SEOAGENTS_BIN (required) the server binary;
// SEOAGENTS_WP_ENV_FILE the WordPress peer's env file (its steps are skipped without it);
// SEOAGENTS_E2E_ARTIFACTS where screenshots go (default web/e2e/artifacts);
// SEOAGENTS_E2E_SERVE_DIST=1 serves web/dist from the test instead (dist_server.mjs).
import assert from "node:assert/strict";
import { access, constants, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDistServer } from "./dist_server.mjs";
import { startServer } from "./server.mjs";
import { startWebhookReceiver } from "./webhook_receiver.mjs";
import { deletePost, readPost, readWordPressEnv } from "./wordpress.mjs";

const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ARTIFACTS = resolve(process.env.SEOAGENTS_E2E_ARTIFACTS ?? join(WEB_DIR, "e2e", "artifacts"));
const WP_ENV_FILE = process.env.SEOAGENTS_WP_ENV_FILE ?? "";
const WP_SKIP = WP_ENV_FILE
  ? false
  : "SEOAGENTS_WP_ENV_FILE is not set: the WordPress steps need the peer (shared/wordpress/wp-peer.sh start)";
const STEP = { timeout: 120_000 };
const WAIT_MS = 60_000;
/** The server answers 429 after 30 failed authentications a minute from one address. */
const MAX_FAILED_SIGN_INS = 40;
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** What the steps share: they run in order, each building on the one before. */
const run = {
  server: null,
  dist: null,
  receiver: null,
  browser: null,
  page: null,
  baseUrl: "",
  wordpress: null,
  shots: 0,
  problems: [],
  articleKey: null,
  articleTitle: null,
  siteName: "Peer WordPress",
};

async function requiredBinary() {
  const binary = process.env.SEOAGENTS_BIN;
  if (!binary)
    throw new Error("SEOAGENTS_BIN must name the seoagents binary (e.g. build/release/tools/seoagents)");
  await access(binary, constants.X_OK);
  return resolve(binary);
}

/** The screenshots of an earlier run (NN-name.png) go, so the folder shows this run only. */
async function clearOldScreenshots() {
  await mkdir(ARTIFACTS, { recursive: true });
  for (const file of await readdir(ARTIFACTS)) {
    if (/^\d\d-[\w-]+\.png$/.test(file)) await rm(join(ARTIFACTS, file));
  }
}

async function shot(name, page = run.page) {
  run.shots += 1;
  const file = join(ARTIFACTS, `${String(run.shots).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

async function open(route) {
  await run.page.goto(`${run.baseUrl}/${route}`);
}

function watchForProblems(page) {
  page.on("pageerror", (error) => run.problems.push(`script error: ${error.message}`));
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) {
      run.problems.push(`CSP at ${page.url()} (${message.location().url}): ${message.text()}`);
    }
  });
}

/** Whether this server accepts the dashboard's WebSocket authentication (subprotocols). */
async function liveChannelAvailable(page) {
  return page.evaluate(
    () =>
      new Promise((resolveOpen) => {
        const credential = sessionStorage.getItem("seoagents.credential");
        const socket = new WebSocket(`ws://${location.host}/v1/ws`, [
          "seoagents.v1",
          `seoagents.auth.${credential}`,
        ]);
        socket.onopen = () => {
          socket.close();
          resolveOpen(true);
        };
        socket.onclose = () => resolveOpen(false);
      }),
  );
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  const { port } = server.address();
  await new Promise((resolveClose) => server.close(resolveClose));
  return port;
}

async function waitForJobEnd(page) {
  const status = page.getByTestId("progress-status");
  await status.getByText(/completed|failed|cancelled/).waitFor({ timeout: WAIT_MS });
  return (await status.textContent()) ?? "";
}

describe("the dashboard against the real server", () => {
  before(async () => {
    await clearOldScreenshots();
    run.server = await startServer(await requiredBinary());
    run.baseUrl = run.server.baseUrl;
    if (process.env.SEOAGENTS_E2E_SERVE_DIST === "1") {
      run.dist = await startDistServer(join(WEB_DIR, "dist"), run.server);
      run.baseUrl = run.dist.baseUrl;
    }
    run.receiver = await startWebhookReceiver();
    if (WP_ENV_FILE) run.wordpress = await readWordPressEnv(WP_ENV_FILE);
    run.browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const context = await run.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: run.baseUrl });
    run.page = await context.newPage();
    run.page.setDefaultTimeout(WAIT_MS);
    run.page.on("dialog", (dialog) => dialog.accept());
    watchForProblems(run.page);
  });

  after(async () => {
    // The WordPress peer is shared with the C++ tests: leave no post behind.
    if (run.wordpressPostId) await deletePost(run.wordpress, run.wordpressPostId);
    await run.browser?.close();
    await run.receiver?.stop();
    await run.dist?.stop();
    await run.server?.stop();
    if (run.server)
      await writeFile(
        join(ARTIFACTS, "server.log"),
        `${run.server.output.stdout}\n${run.server.output.stderr}`,
      );
  });

  it("serves the dashboard at / with a strict Content-Security-Policy", STEP, async () => {
    const response = await fetch(`${run.baseUrl}/`);
    assert.equal(
      response.status,
      200,
      "GET / must answer the dashboard (build web/dist before the server binary)",
    );
    const html = await response.text();
    assert.match(html, /<div id="app"><\/div>/);
    const policy = response.headers.get("content-security-policy") ?? "";
    assert.match(policy, /script-src 'self'/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    for (const asset of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
      const answer = await fetch(`${run.baseUrl}${asset[1]}`);
      assert.equal(answer.status, 200, `${asset[1]} is served`);
    }
  });

  it("refuses a wrong key with a clear message", STEP, async () => {
    const page = run.page;
    await open("");
    await page.getByLabel("API key or token").fill("sak_thisKeyDoesNotExist0000000000000000000000");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("was not accepted").waitFor();
    assert.match(await page.locator("#credential-error").textContent(), /API key is not valid/);
    await shot("sign-in-wrong-key");
  });

  it("signs in with the server's first key, kept in sessionStorage only", STEP, async () => {
    const page = run.page;
    await page.getByLabel("API key or token").fill(run.server.firstKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    const storage = await page.evaluate(() => ({
      session: sessionStorage.getItem("seoagents.credential"),
      local: localStorage.length,
    }));
    assert.equal(storage.session, run.server.firstKey);
    assert.equal(storage.local, 0);
    assert.ok(!page.url().includes(run.server.firstKey), "the key is never in the URL");
    await page.keyboard.press("Tab");
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      "Skip to content",
      "the first Tab reaches the skip link",
    );
  });

  it("shows the API's validation error next to the field", STEP, async () => {
    const page = run.page;
    await open("#/agents");
    await page.getByRole("button", { name: "New agent" }).click();
    await page.getByLabel("Name").fill("E2E agent");
    await page.getByLabel("Keywords").fill("exhibition stand design\nportable exhibition stand");
    await page.getByLabel("Word target").fill("50");
    await page.getByRole("button", { name: "Create agent" }).click();
    const error = page.locator("#new-agent-word-target-error");
    await error.waitFor();
    assert.match(await error.textContent(), /300/);
    assert.equal(await page.getByLabel("Word target").getAttribute("aria-invalid"), "true");
    await shot("agent-validation-error");
  });

  it("creates, pauses, resumes, edits and deletes agents", STEP, async () => {
    const page = run.page;
    await page.getByLabel("Word target").fill("800");
    await page.getByRole("button", { name: "Create agent" }).click();
    await page.getByText("Saved the agent E2E agent").waitFor();
    const row = page.getByRole("row", { name: /E2E agent/ });
    await row.getByRole("button", { name: "Pause" }).click();
    await row.getByText("paused", { exact: true }).waitFor();
    await row.getByRole("button", { name: "Resume" }).click();
    await row.getByText("active", { exact: true }).waitFor();
    await page.getByRole("button", { name: "New agent" }).click();
    await page.getByLabel("Name").fill("Scratch agent");
    await page.getByRole("button", { name: "Create agent" }).click();
    const scratch = page.getByRole("row", { name: /Scratch agent/ });
    await scratch.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("Tone").selectOption("casual");
    await page.getByRole("button", { name: "Save agent" }).click();
    await scratch.getByText("casual", { exact: true }).waitFor();
    await scratch.getByRole("button", { name: "Delete" }).click();
    await page.getByText("Scratch agent was deleted.").waitFor();
    await scratch.waitFor({ state: "detached" });
    await shot("agents");
  });

  it("starts a create job and follows it to completed", STEP, async () => {
    const page = run.page;
    await open("#/jobs");
    await page.getByLabel("Keyword", { exact: true }).fill("exhibition stand design");
    await page.getByRole("button", { name: "Start create job" }).click();
    await page.waitForURL(/#\/jobs\/content-/);
    assert.match(await waitForJobEnd(page), /completed/);
    const steps = await page.getByTestId("progress-steps").locator("li").allTextContents();
    for (const step of ["outline", "draft", "analyze", "store"]) {
      assert.ok(
        steps.some((text) => text.startsWith(step)),
        `the ${step} step is shown`,
      );
    }
    const transport = await page.getByTestId("follow-mode").getAttribute("data-transport");
    const live = await liveChannelAvailable(page);
    assert.equal(
      transport,
      live ? "live" : "polling",
      `followed ${live ? "over the WebSocket" : "by polling (the server refuses subprotocol auth)"}`,
    );
    console.log(
      `# the job was followed ${transport === "live" ? "live over the WebSocket" : "by polling: this server does not accept the WebSocket subprotocol auth yet"}`,
    );
    await page.getByTestId("job-result").waitFor();
    await shot("job-completed");
  });

  it("opens the article's preview beside its analysis", STEP, async () => {
    const page = run.page;
    await page.getByRole("link", { name: "Open the article, its preview and analysis" }).click();
    await page.waitForURL(/#\/articles\//);
    run.articleKey = decodeURIComponent(page.url().split("#/articles/")[1]);
    const frame = page.getByTestId("preview-frame");
    assert.equal(await frame.getAttribute("sandbox"), "");
    const heading = page.frameLocator('[data-testid="preview-frame"]').locator("h1");
    await heading.waitFor();
    run.articleTitle = (await heading.textContent()).trim();
    assert.match(run.articleTitle, /exhibition stand design/i);
    const seo = page.getByTestId("assessments-seo").locator("li");
    await seo.first().waitFor();
    assert.ok((await seo.count()) >= 5, "every SEO assessment is listed");
    for (const text of await seo.allTextContents()) assert.match(text, /^(good|ok|bad)\w[\w ]*: \S/);
    assert.ok((await page.getByTestId("assessments-readability").locator("li").count()) >= 1);
    await shot("article-preview-analysis");
  });

  it("sorts the articles by score and by word count", STEP, async () => {
    const page = run.page;
    await open("#/jobs");
    await page.getByLabel("Keyword", { exact: true }).fill("portable exhibition stand");
    await page.getByRole("button", { name: "Start create job" }).click();
    await page.waitForURL(/#\/jobs\/content-/);
    assert.match(await waitForJobEnd(page), /completed/);
    await open("#/articles");
    const table = page.getByTestId("articles-table");
    await table.locator("tbody tr").nth(1).waitFor();
    const column = async (index) =>
      (await table.locator(`tbody tr > :nth-child(${index})`).allTextContents()).map((text) =>
        Number(text.replace(/\D/g, "")),
      );
    const loaded = page.locator('[data-testid="articles-table"][aria-busy="false"]');
    await page.getByRole("button", { name: "SEO" }).click();
    await page.locator('th[aria-sort="descending"]', { hasText: "SEO" }).waitFor();
    await loaded.waitFor();
    assert.equal(await page.getByLabel("Sort").inputValue(), "score:desc");
    const scores = await column(2);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
    await page.getByRole("button", { name: "Words" }).click();
    await page.locator('th[aria-sort="descending"]', { hasText: "Words" }).waitFor();
    await page.getByRole("button", { name: "Words" }).click();
    await page.locator('th[aria-sort="ascending"]', { hasText: "Words" }).waitFor();
    await loaded.waitFor();
    const words = await column(4);
    assert.equal(words.length, 2);
    assert.deepEqual(
      words,
      [...words].sort((a, b) => a - b),
    );
    await shot("articles");
  });

  it("falls back to polling when the live channel drops (an enhance job)", STEP, async () => {
    const context = await run.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      watchForProblems(page);
      let subscriptions = 0;
      await page.routeWebSocket(/\/v1\/ws$/, (socket) => {
        socket.onMessage(() => {
          subscriptions += 1;
          socket.close({ code: 1013, reason: "dropped by the test" });
        });
      });
      await page.goto(`${run.baseUrl}/`);
      await page.getByLabel("API key or token").fill(run.server.firstKey);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      await page.goto(`${run.baseUrl}/#/jobs`);
      await page.getByLabel("Job type").selectOption("enhance");
      await page.getByLabel("Article").selectOption(run.articleKey);
      await page.getByRole("button", { name: "Start enhance job" }).click();
      await page.waitForURL(/#\/jobs\/content-/);
      assert.match(await waitForJobEnd(page), /completed/);
      assert.equal(await page.getByTestId("follow-mode").getAttribute("data-transport"), "polling");
      assert.ok(subscriptions >= 1, "the page subscribed before its socket dropped");
      const steps = await page.getByTestId("progress-steps").locator("li").allTextContents();
      assert.ok(
        steps.some((text) => text.startsWith("enhance")),
        "the enhance step is shown",
      );
      await shot("job-followed-by-polling", page);
    } finally {
      await context.close();
    }
  });

  it("shows a failing site's checks, edits and removes it", STEP, async () => {
    const page = run.page;
    await open("#/sites");
    await page.getByRole("button", { name: "Register a site" }).click();
    await page.getByLabel("Site URL").fill(`http://127.0.0.1:${await closedPort()}`);
    await page.getByLabel("Name").fill("Nowhere");
    await page.getByLabel("WordPress user").fill("editor");
    await page.getByLabel("Application password").fill("abcd efgh ijkl mnop");
    await page.getByRole("button", { name: "Register site" }).click();
    const card = page.getByTestId("site-card").filter({ hasText: "Nowhere" });
    await card.getByRole("button", { name: "Verify" }).click();
    const verification = card.getByTestId("verification");
    await verification.getByText("The site did not pass.").waitFor();
    assert.match((await verification.locator("li").first().textContent()) ?? "", /^bad/);
    await shot("site-failed-verification");
    await card.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("Name").fill("Nowhere at all");
    await page.getByRole("button", { name: "Save site" }).click();
    const renamed = page.getByTestId("site-card").filter({ hasText: "Nowhere at all" });
    await renamed.waitFor();
    await renamed.getByRole("button", { name: "Remove" }).click();
    await page.getByText("Removed Nowhere at all.").waitFor();
    await renamed.waitFor({ state: "detached" });
  });

  it("registers and verifies the WordPress site", { ...STEP, skip: WP_SKIP }, async () => {
    const page = run.page;
    await open("#/sites");
    await page.getByRole("button", { name: "Register a site" }).click();
    await page.getByLabel("Site URL").fill(run.wordpress.url);
    await page.getByLabel("Name").fill(run.siteName);
    await page.getByLabel("WordPress user").fill(run.wordpress.user);
    await page.getByLabel("Application password").fill(run.wordpress.password);
    await page.getByRole("button", { name: "Register site" }).click();
    await page.getByText(`Saved ${run.siteName}`).waitFor();
    await page.getByRole("button", { name: "Verify" }).click();
    const verification = page.getByTestId("verification");
    await verification.waitFor();
    assert.match(await verification.textContent(), /The site works/);
    const checks = await verification.locator("li").allTextContents();
    assert.equal(checks.length, 2);
    for (const check of checks) assert.match(check, /^good/);
    await page.getByTestId("site-card").getByText("verified", { exact: true }).waitFor();
    await shot("site-verified");
  });

  it(
    "publishes the article as a draft and finds the post on WordPress",
    { ...STEP, skip: WP_SKIP },
    async () => {
      const page = run.page;
      await open(`#/articles/${encodeURIComponent(run.articleKey)}`);
      const site = page.getByLabel("Site", { exact: true });
      await site.locator("option", { hasText: run.siteName }).waitFor({ state: "attached" });
      await site.selectOption({ label: `${run.siteName} (${run.wordpress.url})` });
      await page.getByLabel("Post status").selectOption("draft");
      await page.getByRole("button", { name: "Publish" }).click();
      await page.waitForURL(/#\/jobs\/publish-/);
      assert.match(await waitForJobEnd(page), /completed/);
      const result = page.getByTestId("job-result");
      await result.waitFor();
      const postId = Number(
        await result
          .locator("div", { hasText: /^wp_post_id/ })
          .locator("dd")
          .textContent(),
      );
      assert.ok(postId > 0, "the result names the WordPress post");
      run.wordpressPostId = postId;
      const post = await readPost(run.wordpress, postId);
      assert.equal(post.status, "draft");
      assert.equal(post.title.raw, run.articleTitle);
      await shot("publish-completed");
    },
  );

  it("shows the numbers and the charts with data on the overview", STEP, async () => {
    const page = run.page;
    await open("#/overview");
    const articles = page.getByTestId("stats").locator(".tile", { hasText: "Articles" }).locator("dd");
    await articles.waitFor();
    assert.ok(Number(await articles.textContent()) >= 1);
    for (const id of ["activity-chart", "categories-chart", "job-types-chart"]) {
      const canvas = page.locator(`#${id}`);
      await canvas.waitFor();
      assert.ok(Number(await canvas.getAttribute("data-datasets")) > 0, `${id} has datasets`);
      assert.ok(Number(await canvas.getAttribute("data-points")) > 0, `${id} has points`);
      const painted = await canvas.evaluate((element) => {
        const { width, height } = element;
        const pixels = element.getContext("2d").getImageData(0, 0, width, height).data;
        let count = 0;
        for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) count += 1;
        return count;
      });
      assert.ok(painted > 1000, `${id} is drawn (${painted} pixels)`);
    }
    await shot("overview");
  });

  it("fits a phone's width", STEP, async () => {
    const page = run.page;
    await page.setViewportSize({ width: 390, height: 844 });
    for (const route of ["#/overview", "#/jobs", "#/articles"]) {
      await open(route);
      await page.locator("main h1").waitFor();
      // Charts follow the new width when their ResizeObserver fires: wait for the layout to settle.
      await page
        .waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth + 1)
        .catch(() => undefined);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${route} does not scroll sideways (${overflow} px)`);
      await shot(`phone-${route.slice(2)}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it(
    "creates a webhook, shows its secret once, pings a real receiver, rotates the secret",
    STEP,
    async () => {
      const page = run.page;
      await open("#/webhooks");
      await page.getByRole("button", { name: "New webhook" }).click();
      await page.getByLabel("Endpoint URL").fill(run.receiver.url);
      await page.getByLabel("Description").fill("e2e receiver");
      await page.getByRole("button", { name: "Create webhook" }).click();
      const secret = (await page.getByTestId("secret-value").textContent()).trim();
      assert.match(secret, /^whsec_/);
      await page.getByRole("button", { name: "Copy" }).click();
      await page.getByText("Copied to the clipboard.").waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
      await shot("webhook-secret-once");
      await page.getByRole("button", { name: "I have saved it" }).click();
      await page.reload();
      await page.getByTestId("webhook-card").waitFor();
      assert.ok(!(await page.content()).includes(secret), "the secret is not shown again");
      await page.getByRole("button", { name: "Send a ping" }).click();
      await page.getByText("Ping answered: HTTP 204").waitFor();
      assert.ok(
        run.receiver.received.some((request) => request.headers["x-seoagents-event-type"] === "ping"),
      );
      await page.getByRole("button", { name: "Rotate secret" }).click();
      const rotated = (await page.getByTestId("secret-value").textContent()).trim();
      assert.match(rotated, /^whsec_/);
      assert.notEqual(rotated, secret);
      await page.getByRole("button", { name: "I have saved it" }).click();
      await page.getByText("The previous secret still signs until").waitFor();
      await shot("webhooks");
    },
  );

  it("creates an API key, shows it once, the key works until it is revoked", STEP, async () => {
    const page = run.page;
    await open("#/api-keys");
    await page.getByLabel("Name").fill("e2e");
    await page.getByRole("button", { name: "Create key" }).click();
    const key = (await page.getByTestId("secret-value").textContent()).trim();
    assert.match(key, /^sak_/);
    const answer = await fetch(`${run.server.baseUrl}/v1/dashboard/account`, {
      headers: { "X-API-Key": key },
    });
    assert.equal(answer.status, 200, "the new key authenticates");
    await shot("api-key-once");
    await page.getByRole("button", { name: "I have saved it" }).click();
    await page.reload();
    await page.getByRole("row", { name: /e2e/ }).waitFor();
    assert.ok(!(await page.content()).includes(key), "the key is not shown again");
    const row = page.getByRole("row", { name: /e2e/ });
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByText("revoked", { exact: true }).waitFor();
    const refused = await fetch(`${run.server.baseUrl}/v1/dashboard/account`, {
      headers: { "X-API-Key": key },
    });
    assert.equal(refused.status, 401, "a revoked key stops working");
    await shot("api-keys");
  });

  it("signs out and forgets the credential", STEP, async () => {
    const page = run.page;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API key or token").waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem("seoagents.credential")), null);
  });

  it("says how long to wait when sign-in attempts are rate limited", STEP, async () => {
    const page = run.page;
    const error = page.locator("#credential-error");
    await page.getByLabel("API key or token").fill("sak_stillWrong");
    for (let attempt = 0; attempt < MAX_FAILED_SIGN_INS; attempt += 1) {
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForFunction(() => !document.querySelector('.sign-in button[type="submit"]').disabled);
      if (/Too many attempts/.test((await error.textContent()) ?? "")) break;
    }
    assert.match(await error.textContent(), /^Too many attempts\. Try again in \d+ seconds?\.$/);
    await shot("sign-in-rate-limited");
  });

  it("saw no Content-Security-Policy violation and no script error", STEP, () => {
    assert.deepEqual(run.problems, []);
  });
});
