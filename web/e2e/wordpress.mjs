// The WordPress peer as the tests see it: its env file (WP_URL, WP_USER, WP_APP_PASSWORD, as
// written by shared/wordpress/wp-peer.sh) and a post read back through its REST API with the
// application password, to check that what the dashboard published is really there (and
// deleted afterwards, as the peer is shared with the other tests).
import { readFile } from "node:fs/promises";

export async function readWordPressEnv(path) {
  const values = {};
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    const match = line.match(/^\s*(?:export\s+)?([A-Z_]+)=(.*)$/);
    if (match) values[match[1]] = match[2].trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  for (const name of ["WP_URL", "WP_USER", "WP_APP_PASSWORD"]) {
    if (!values[name]) throw new Error(`${path} does not set ${name}`);
  }
  return { url: values.WP_URL.replace(/\/$/, ""), user: values.WP_USER, password: values.WP_APP_PASSWORD };
}

function authorization(wordpress) {
  return `Basic ${Buffer.from(`${wordpress.user}:${wordpress.password}`).toString("base64")}`;
}

export async function readPost(wordpress, postId) {
  const response = await fetch(`${wordpress.url}/wp-json/wp/v2/posts/${postId}?context=edit`, {
    headers: { Authorization: authorization(wordpress) },
  });
  if (!response.ok)
    throw new Error(`WordPress answered ${response.status} for post ${postId}: ${await response.text()}`);
  return response.json();
}

export async function deletePost(wordpress, postId) {
  const response = await fetch(`${wordpress.url}/wp-json/wp/v2/posts/${postId}?force=true`, {
    method: "DELETE",
    headers: { Authorization: authorization(wordpress) },
  });
  if (!response.ok)
    throw new Error(
      `WordPress answered ${response.status} to deleting post ${postId}: ${await response.text()}`,
    );
}
