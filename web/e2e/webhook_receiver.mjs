// A loopback HTTP endpoint that answers 204 to every POST and remembers what it received, so the
// webhooks page's "Send a ping" reaches a real receiver.
import { createServer } from "node:http";

export async function startWebhookReceiver() {
  const received = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/hooks/seo`,
    received,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
