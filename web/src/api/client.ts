// The one way the dashboard talks to the server: same-origin requests under /v1/dashboard with the
// signed-in credential in a header, JSON in and out, and every failure turned into an ApiError
// carrying the API's error envelope (code, message, request id, field details, Retry-After).
import { authHeaders } from "../session";
import type { ErrorDetail, ErrorEnvelope } from "./types";

export const API_BASE = "/v1/dashboard";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly details: ErrorDetail[] = [],
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
}

export function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function retryAfter(response: Response): number | null {
  const header = response.headers.get("Retry-After");
  if (header === null) return null;
  const seconds = Number.parseInt(header, 10);
  return Number.isFinite(seconds) ? seconds : null;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let envelope: Partial<ErrorEnvelope> = {};
  try {
    envelope = (await response.json()) as Partial<ErrorEnvelope>;
  } catch {
    // Not JSON (a proxy's page, say): the status alone has to do.
  }
  return new ApiError(
    response.status,
    envelope.code ?? `HTTP_${response.status}`,
    envelope.message ?? `The server answered ${response.status} ${response.statusText}`,
    envelope.request_id ?? response.headers.get("X-Request-Id"),
    envelope.details ?? [],
    retryAfter(response),
  );
}

export class ApiClient {
  constructor(
    readonly credential: string,
    private readonly onCredentialRejected: (error: ApiError) => void = () => {},
  ) {}

  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json", ...authHeaders(this.credential) };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(`${API_BASE}${path}${queryString(options.query)}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: "omit",
        cache: "no-store",
      });
    } catch (cause) {
      throw new ApiError(0, "NETWORK_ERROR", `The server could not be reached (${String(cause)})`);
    }
    if (response.ok) return response;
    const error = await errorFrom(response);
    if (response.status === 401) this.onCredentialRejected(error);
    throw error;
  }

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    return (await response.json()) as T;
  }

  async text(path: string, query?: Query): Promise<string> {
    const response = await this.send("GET", path, { query });
    return response.text();
  }
}
