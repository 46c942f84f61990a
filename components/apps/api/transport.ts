import * as https from 'https';

/**
 * One HTTP exchange, without redirects: Node's fetch, or, for a server whose certificate a private CA signed (the
 * TLS edge's, exported by the stack), `https.request` with that CA, since Node's bundled fetch takes no CA of its
 * own. Errors of both look alike to the client: `TimeoutError`, or an Error whose `cause.code` is the socket's.
 */
export interface RawResponse {
  readonly status: number;
  /** Lowercase names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export interface RawRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** PEM of the CA the server's certificate must chain to (https only). */
  readonly ca?: string;
}

export async function exchange(req: RawRequest): Promise<RawResponse> {
  if (req.ca !== undefined && req.url.startsWith('https:')) return exchangeWithCa(req, req.ca);
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(req.timeoutMs),
  });
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k.toLowerCase()] = v;
  });
  return { status: res.status, headers, text };
}

function exchangeWithCa(req: RawRequest, ca: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const fail = (cause: Error & { code?: string }) =>
      reject(new Error(`request to ${new URL(req.url).origin} failed`, { cause }));
    const r = https.request(
      req.url,
      { method: req.method, headers: req.headers, ca, timeout: req.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          }
          resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    r.on('timeout', () => {
      const e = new Error(`no answer within ${req.timeoutMs}ms`);
      e.name = 'TimeoutError';
      r.destroy();
      reject(e);
    });
    r.on('error', fail);
    r.end(req.body);
  });
}
