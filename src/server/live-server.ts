/**
 * Starts the live API next to a running session: the token from the config's token file (created
 * on first start), the app bound to the configured interface (127.0.0.1 by default).
 */
import type { AddressInfo } from 'node:net';
import { type LiveSession, type LoadedLiveConfig, liveApiSettings } from '../api.ts';
import { buildLiveApi } from './live-api.ts';
import { loadOrCreateToken } from './token.ts';

export interface LiveServer {
  readonly url: string;
  readonly tokenFile: string;
  close(): Promise<void>;
}

/** Serves the API of `session` (docs/live.md). */
export async function startLiveServer(
  session: Pick<LiveSession, 'monitor' | 'ledger'>,
  loaded: LoadedLiveConfig,
): Promise<LiveServer> {
  const api = liveApiSettings(loaded);
  const tokenFile = api.tokenFile;
  const token = loadOrCreateToken(tokenFile);
  const app = await buildLiveApi(session.monitor, session.ledger, { token, bodyLimit: api.bodyLimit });
  await app.listen({ host: api.host, port: api.port });
  const addr = app.server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return { url: `http://${host}:${addr.port}`, tokenFile, close: () => app.close() };
}
