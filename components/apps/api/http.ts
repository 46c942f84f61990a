import { exchange } from './transport';

/**
 * A small JSON-over-HTTP client for the Marathon, Chronos and Mesos REST APIs (transport.ts).
 * No Pulumi imports: the dynamic providers and the ops tooling both use it, and it must serialize cheaply.
 *
 * - Several base URLs: a network error or 5xx moves on to the next one (any master can answer).
 * - Retries with exponential backoff on 5xx and network errors, bounded by `retries`.
 * - Follows leader redirects itself (301/302/307/308): Chronos and Mesos non-leaders answer 307 with the
 *   leader's Location. fetch's own redirect handling would drop the Authorization header across hosts.
 * - Errors name the method, the URL without credentials, the status and the server's message.
 */

export interface HttpClientOptions {
  readonly baseUrls: readonly string[];
  readonly username?: string;
  readonly password?: string;
  /** Per request attempt. */
  readonly timeoutMs?: number;
  /** Extra attempts after the first on 5xx or network errors. */
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly maxRedirects?: number;
  /** PEM of a private CA to trust for https base URLs (the TLS edge's `edgeCaCertificate`). */
  readonly ca?: string;
  /** Injected by tests to make backoff instant. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the body is JSON, else undefined. */
  readonly json: unknown;
  readonly text: string;
  /** The URL that finally answered, without credentials. */
  readonly url: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
}

/**
 * Errors are plain `Error`s with fields, not subclasses: Pulumi's closure serialization of dynamic providers
 * rewrites classes into functions, and an `extends Error` subclass loses its message on the way.
 */
export interface HttpError extends Error {
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly body?: unknown;
}

export function httpError(
  message: string,
  method: string,
  url: string,
  status?: number,
  body?: unknown,
): HttpError {
  const e = new Error(message) as Error & { method: string; url: string; status?: number; body?: unknown };
  e.name = 'HttpError';
  e.method = method;
  e.url = url;
  if (status !== undefined) e.status = status;
  if (body !== undefined) e.body = body;
  return e;
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof Error && e.name === 'HttpError';
}

export const DEFAULTS = {
  timeoutMs: 30_000,
  retries: 4,
  backoffMs: 500,
  maxBackoffMs: 8_000,
  maxRedirects: 5,
} as const;

// An array, not a Set: module-level Sets do not survive Pulumi's closure serialization.
const REDIRECTS: readonly number[] = [301, 302, 303, 307, 308];

/** The URL as it may appear in messages: no user info. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

/** The server's message from an error body: `message`, Chronos' `error`/`message`, or the raw text. */
export function serverMessage(res: Pick<HttpResponse, 'json' | 'text'>): string {
  const j = res.json;
  if (j !== null && typeof j === 'object' && !Array.isArray(j)) {
    const o = j as Record<string, unknown>;
    for (const k of ['message', 'error', 'errors']) {
      if (typeof o[k] === 'string' && o[k] !== '') return o[k] as string;
    }
  }
  const t = res.text.trim();
  return t.length > 300 ? `${t.slice(0, 300)}…` : t;
}

export class HttpClient {
  private readonly opts: Required<Omit<HttpClientOptions, 'username' | 'password' | 'ca'>>;
  private readonly auth?: string;
  private readonly ca?: string;

  constructor(options: HttpClientOptions) {
    if (options.baseUrls.length === 0) throw new Error('HttpClient needs at least one base URL');
    this.opts = {
      baseUrls: options.baseUrls.map((u) => u.replace(/\/+$/, '')),
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      retries: options.retries ?? DEFAULTS.retries,
      backoffMs: options.backoffMs ?? DEFAULTS.backoffMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
      maxRedirects: options.maxRedirects ?? DEFAULTS.maxRedirects,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
    if (options.ca !== undefined && options.ca !== '') this.ca = options.ca;
    if (options.username !== undefined && options.username !== '') {
      const pair = `${options.username}:${options.password ?? ''}`;
      this.auth = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    }
  }

  /**
   * Sends a request; answers with any status below 500 (callers decide what a 404 or 409 means). Retried over
   * the base URLs, with backoff: a GET on any 5xx or network error; a request that changes something only
   * when it cannot have been applied (503, Marathon's answer without a leader, or a connection that never
   * opened), since a PUT that timed out or failed with a 500 may have started a deployment.
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const attempts = this.opts.retries + 1;
    let last: HttpError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        const delay = Math.min(this.opts.backoffMs * 2 ** (attempt - 1), this.opts.maxBackoffMs);
        await this.opts.sleep(delay);
      }
      const base = this.opts.baseUrls[attempt % this.opts.baseUrls.length];
      const url = base + path + queryString(options.query);
      try {
        const res = await this.send(method, url, options.body);
        if (res.status < 500) return res;
        last = httpError(
          `${method} ${res.url} failed with ${res.status}: ${serverMessage(res) || 'server error'}`,
          method,
          res.url,
          res.status,
          res.json,
        );
        if (!SAFE_METHODS.includes(method) && res.status !== 503) throw mayHaveApplied(last);
      } catch (err) {
        if (isHttpError(err) && err.status !== undefined) throw err;
        last = isHttpError(err)
          ? err
          : httpError(`${method} ${redactUrl(url)} failed: ${describeError(err)}`, method, redactUrl(url));
        if (!SAFE_METHODS.includes(method) && !neverSent(err)) throw mayHaveApplied(last);
      }
    }
    const e = last as HttpError;
    throw httpError(
      `${e.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
      e.method,
      e.url,
      e.status,
      e.body,
    );
  }

  /** Origins of the configured base URLs: the only hosts that get the credentials, redirects included. */
  private trusted(url: string): boolean {
    const origin = new URL(url).origin;
    return this.opts.baseUrls.some((b) => new URL(b).origin === origin);
  }

  /** One attempt, following redirects to the leader. */
  private async send(method: string, startUrl: string, body: unknown): Promise<HttpResponse> {
    let url = startUrl;
    for (let hop = 0; hop <= this.opts.maxRedirects; hop++) {
      const { target, auth } = this.splitCredentials(url);
      const headers: Record<string, string> = { Accept: 'application/json' };
      // A redirect to a host outside the cluster's base URLs gets no credentials.
      if (auth !== undefined && (hop === 0 || this.trusted(target))) headers.Authorization = auth;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await exchange({
        method,
        url: target,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: this.opts.timeoutMs,
        ...(this.ca === undefined ? {} : { ca: this.ca }),
      });
      const location = res.headers.location;
      if (REDIRECTS.includes(res.status) && location !== undefined) {
        url = new URL(location, target).toString();
        continue;
      }
      const text = res.text;
      const out = res.headers;
      return { status: res.status, headers: out, json: parseJson(text), text, url: redactUrl(target) };
    }
    throw httpError(
      `${method} ${redactUrl(startUrl)} failed: more than ${this.opts.maxRedirects} redirects`,
      method,
      redactUrl(startUrl),
    );
  }

  private splitCredentials(url: string): { target: string; auth?: string } {
    const u = new URL(url);
    if (u.username === '') return { target: url, ...(this.auth ? { auth: this.auth } : {}) };
    const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    u.username = '';
    u.password = '';
    return { target: u.toString(), auth: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
  }
}

/** Throws an HttpError for a response outside `ok`, quoting the server's message. */
export function expectStatus(method: string, res: HttpResponse, ok: readonly number[]): HttpResponse {
  if (ok.includes(res.status)) return res;
  throw httpError(
    `${method} ${res.url} failed with ${res.status}: ${serverMessage(res) || 'no message'}`,
    method,
    res.url,
    res.status,
    res.json,
  );
}

/** Methods safe to repeat whatever happened to the first attempt. */
const SAFE_METHODS: readonly string[] = ['GET', 'HEAD'];

/** Connection errors that mean the request never reached a server, so it cannot have been applied. */
function neverSent(err: unknown): boolean {
  // Duck-typed: fetch's errors come from Node's own realm, where `instanceof Error` of another realm fails.
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)
  );
}

function mayHaveApplied(e: HttpError): HttpError {
  return httpError(
    `${e.message} (not retried: the ${e.method} may have been applied; check the current state, then run again)`,
    e.method,
    e.url,
    e.status,
    e.body,
  );
}

function queryString(query: RequestOptions['query']): string {
  if (query === undefined) return '';
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeError(err: unknown): string {
  // Duck-typed like neverSent: fetch's errors (and their causes) come from another realm.
  const e = err as {
    name?: unknown;
    message?: unknown;
    cause?: { code?: unknown; message?: unknown };
  } | null;
  if (e === null || typeof e !== 'object' || typeof e.message !== 'string') return String(err);
  if (e.name === 'TimeoutError') return 'timed out';
  const cause = e.cause;
  const code =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : undefined;
  return code !== undefined ? `${e.message} (${code})` : e.message;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
