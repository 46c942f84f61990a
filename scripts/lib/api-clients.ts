import { ChronosClient } from '../../components/apps/api/chronos-client';
import { HttpClient } from '../../components/apps/api/http';
import { MarathonClient } from '../../components/apps/api/marathon-client';
import { OpsError } from './cli-args';
import { requireUrl, type StackOutputs } from './stack-outputs';

/** Marathon and Chronos clients for the stack's endpoints and credentials (the apps layer's REST clients). */
export function apiClients(outputs: StackOutputs): { marathon: MarathonClient; chronos: ChronosClient } {
  // The TLS edge's URLs are signed by the stack's own CA, which the outputs carry.
  const ca = outputs.edgeCaCertificate === undefined ? {} : { ca: outputs.edgeCaCertificate };
  const common = { retries: 3, backoffMs: 500, timeoutMs: 30_000, ...ca };
  return {
    marathon: new MarathonClient(
      new HttpClient({
        baseUrls: [requireUrl(outputs, 'marathonUrl')],
        ...(outputs.marathonCredentials ?? {}),
        ...common,
      }),
    ),
    chronos: new ChronosClient(
      new HttpClient({
        baseUrls: [requireUrl(outputs, 'chronosUrl')],
        ...(outputs.chronosCredentials ?? {}),
        ...common,
      }),
    ),
  };
}

/** REST failures (unreachable, 4xx/5xx) are operational errors: exit 1 with the client's message. */
export async function asOpsError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof OpsError) throw err;
    const name = (err as Error).name;
    if (
      [
        'HttpError',
        'ChronosError',
        'MarathonConflictError',
        'MarathonValidationError',
        'DeploymentTimeoutError',
      ].includes(name)
    )
      throw new OpsError((err as Error).message);
    throw err;
  }
}
