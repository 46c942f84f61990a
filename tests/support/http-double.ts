/**
 * Base for the REST API test doubles: an HTTP server on 127.0.0.1 (loopback only, ephemeral port), because
 * no real Marathon or Chronos can run in this environment. It adds what every double shares: optional HTTP
 * basic auth (401 like Marathon's `secured` trait), injected faults (next N requests answer 503), an optional
 * redirect of every request to another instance (a non-leader), and a log of the requests received.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface DoubleOptions {
  readonly credentials?: { readonly username: string; readonly password: string };
}

export interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly body?: unknown;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  /** A plain-text body, sent as is (Mesos answers its errors so). */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export abstract class HttpDouble {
  readonly requests: LoggedRequest[] = [];
  private server?: http.Server;
  private failures: { count: number; status: number } = { count: 0, status: 503 };
  private redirectTarget?: string;

  constructor(protected readonly options: DoubleOptions = {}) {}

  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      void this.onRequest(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The next `count` requests answer `status` (default 503) before anything else happens. */
  failNext(count: number, status = 503): void {
    this.failures = { count, status };
  }

  /** Behave as a non-leader: answer every request with 307 to the same path on `leaderUrl`. */
  redirectTo(leaderUrl: string | undefined): void {
    this.redirectTarget = leaderUrl;
  }

  protected abstract handle(method: string, url: URL, body: unknown): Reply;

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    let badJson = false;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        badJson = true;
      }
    }
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://double');
    this.requests.push({
      method,
      url: url.pathname + url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    const reply = this.route(method, url, body, badJson, req.headers.authorization);
    const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    res.writeHead(reply.status, {
      ...(text !== ''
        ? { 'Content-Type': reply.text === undefined ? 'application/json' : 'text/plain' }
        : {}),
      ...(reply.headers ?? {}),
    });
    res.end(text);
  }

  private route(method: string, url: URL, body: unknown, badJson: boolean, auth?: string): Reply {
    if (this.failures.count > 0) {
      this.failures.count--;
      return { status: this.failures.status, body: { message: 'injected fault: service unavailable' } };
    }
    if (this.redirectTarget !== undefined) {
      return { status: 307, headers: { Location: `${this.redirectTarget}${url.pathname}${url.search}` } };
    }
    const creds = this.options.credentials;
    if (creds !== undefined) {
      const expected = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      if (auth !== expected) {
        return {
          status: 401,
          body: { message: 'Invalid username or password.' },
          headers: { 'WWW-Authenticate': 'Basic realm="Mesosphere"' },
        };
      }
    }
    if (badJson) {
      return {
        status: 400,
        body: { message: 'Invalid JSON', details: [{ path: '/', errors: ['error.invalid.json'] }] },
      };
    }
    return this.handle(method, url, body);
  }
}
