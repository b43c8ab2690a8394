// Follows one job's progress: live over the WebSocket channel (/v1/ws, authenticated with the
// `seoagents.auth.<credential>` subprotocol, so the credential never goes into a URL), and by
// polling GET /jobs/{id}/progress?since= whenever the socket cannot open or drops before the job
// ends. Events are handed on once each, in seq order, whichever path brought them.
import { type ApiClient, ApiError } from "../api/client";
import { getJobProgress } from "../api/endpoints";
import type { JobStatus, ProgressEvent } from "../api/types";

export type FollowMode = "connecting" | "live" | "polling" | "finished" | "unavailable";

export interface FollowerListener {
  onEvent(event: ProgressEvent): void;
  onStatus(status: JobStatus): void;
  onMode(mode: FollowMode): void;
  onFinished(status: JobStatus): void;
  onProblem(message: string | null): void;
}

export const PROTOCOL = "seoagents.v1";
export const AUTH_PROTOCOL_PREFIX = "seoagents.auth.";
const POLL_INTERVAL_MS = 1500;
const POLL_RETRY_MAX_MS = 15000;

const FINAL_STATUSES: ReadonlySet<string> = new Set(["completed", "failed", "cancelled"]);

export function isFinalStatus(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

/** `since` keeps events strictly after it and several events may share a millisecond. */
export function sinceBefore(ts: string): string {
  return new Date(Date.parse(ts) - 1).toISOString();
}

export function channelUrl(location: Location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/v1/ws`;
}

interface ChannelMessage {
  type: string;
  job_id?: string;
  status?: JobStatus;
  code?: string;
  message?: string;
  seq?: number;
  ts?: string;
  step?: string;
  percent?: number;
}

function isPermanent(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

function parseMessage(data: unknown): ChannelMessage | null {
  if (typeof data !== "string") return null;
  try {
    return JSON.parse(data) as ChannelMessage;
  } catch {
    return null;
  }
}

export class JobFollower {
  private lastSeq = 0;
  private lastTs: string | null = null;
  private socket: WebSocket | null = null;
  private pollTimer: number | null = null;
  private pollFailures = 0;
  private polling = false;
  private finished = false;
  private stopped = false;

  constructor(
    private readonly api: ApiClient,
    private readonly jobId: string,
    private readonly listener: FollowerListener,
  ) {}

  start(): void {
    this.listener.onMode("connecting");
    try {
      this.socket = new WebSocket(channelUrl(window.location), [
        PROTOCOL,
        AUTH_PROTOCOL_PREFIX + this.api.credential,
      ]);
    } catch {
      this.startPolling();
      return;
    }
    this.socket.onopen = () => this.subscribe();
    this.socket.onmessage = (frame) => this.receive(frame.data);
    this.socket.onclose = () => this.socketLost();
  }

  stop(): void {
    this.stopped = true;
    this.closeSocket();
    if (this.pollTimer !== null) window.clearTimeout(this.pollTimer);
  }

  private subscribe(): void {
    const message: Record<string, string> = { action: "subscribe", job_id: this.jobId };
    if (this.lastTs) message.since = sinceBefore(this.lastTs);
    this.socket?.send(JSON.stringify(message));
    this.listener.onMode("live");
  }

  private receive(data: unknown): void {
    const message = parseMessage(data);
    if (!message) return;
    if (message.job_id !== undefined && message.job_id !== this.jobId) return;
    switch (message.type) {
      case "subscribed":
        if (message.status) this.listener.onStatus(message.status);
        break;
      case "progress":
        this.deliver(message as unknown as ProgressEvent);
        break;
      case "completed":
      case "failed":
      case "cancelled":
        this.finish(message.type);
        break;
      case "error":
        this.listener.onProblem(`${message.code}: ${message.message}`);
        this.closeSocket();
        this.startPolling();
        break;
    }
  }

  private deliver(event: ProgressEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.lastTs = event.ts;
    this.listener.onEvent(event);
  }

  private finish(status: JobStatus): void {
    if (this.finished) return;
    this.finished = true;
    this.closeSocket();
    this.listener.onStatus(status);
    this.listener.onMode("finished");
    this.listener.onFinished(status);
  }

  private closeSocket(): void {
    if (!this.socket) return;
    this.socket.onclose = null;
    this.socket.onmessage = null;
    this.socket.close();
    this.socket = null;
  }

  private socketLost(): void {
    this.socket = null;
    this.startPolling();
  }

  private startPolling(): void {
    if (this.finished || this.stopped || this.polling) return;
    this.polling = true;
    this.listener.onMode("polling");
    void this.poll();
  }

  private async poll(): Promise<void> {
    this.pollTimer = null;
    if (this.finished || this.stopped) return;
    try {
      const progress = await getJobProgress(this.api, this.jobId, this.lastTs && sinceBefore(this.lastTs));
      if (this.stopped) return;
      this.pollFailures = 0;
      this.listener.onProblem(null);
      progress.events.forEach((event) => this.deliver(event));
      if (isFinalStatus(progress.status)) return this.finish(progress.status);
      this.listener.onStatus(progress.status);
    } catch (error) {
      if (this.stopped) return;
      this.listener.onProblem(`Progress could not be read: ${(error as Error).message}`);
      if (isPermanent(error)) return this.giveUp();
      this.pollFailures += 1;
    }
    this.schedulePoll();
  }

  /** No such job, or not the caller's: asking again would not change the answer. */
  private giveUp(): void {
    this.stopped = true;
    this.listener.onMode("unavailable");
  }

  private schedulePoll(): void {
    if (this.stopped || this.finished) return;
    const delay = Math.min(POLL_INTERVAL_MS * 2 ** this.pollFailures, POLL_RETRY_MAX_MS);
    this.pollTimer = window.setTimeout(() => void this.poll(), delay);
  }
}
