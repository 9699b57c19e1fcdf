/**
 * `GET|HEAD /env/<environment>/vmlinuz|initramfs.xz` from the verified asset cache, and
 * `GET|HEAD /tftp/<file>`: the iPXE binaries over HTTP (UEFI HTTP boot), from the fixed map the TFTP
 * server serves. Nothing outside those maps is reachable: names are looked up, never joined to paths.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stat } from 'node:fs/promises';
import type { Environment } from '../api/index.js';
import { SERVED_NAME, type AssetKind } from '../assets/index.js';
import type { HttpContext } from './context.js';
import { sendFile } from './files.js';
import { peerAddress, sendError } from './respond.js';
import { bootFileSent } from './wipe.js';

const ASSET_BY_FILE: ReadonlyMap<string, AssetKind> = new Map(Object.entries(SERVED_NAME).map(([k, v]) => [v, k as AssetKind]));

export async function serveEnvironmentFile(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, envName: string, file: string): Promise<void> {
  const asset = ASSET_BY_FILE.get(file);
  const env = asset ? ctx.store.get<Environment>('Environment', envName) : undefined;
  const sha = (env?.spec?.[asset!]?.sha512 ?? '').toLowerCase();
  if (!asset || !env || !sha || ctx.cache.state(sha) !== 'verified') return sendError(req, res, 404);
  const peer = peerAddress(req);
  await sendFile(req, res, {
    path: ctx.cache.pathOf(sha),
    etag: `"${sha.slice(0, 64)}"`,
    onDone: (bytes, _complete, whole) => {
      if (whole) bootFileSent(ctx, peer, file);
      if (req.method !== 'GET' || bytes === 0) return;
      const server = ctx.peers.get(peer);
      ctx.events.emit({ type: 'boot.asset', environment: envName, file, peer, bytes, ...(server ? { server } : {}) });
    },
  });
}

export async function serveIpxeBinary(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
  const path = ctx.ipxeFiles.get(file);
  if (!path) return sendError(req, res, 404);
  const st = await stat(path).catch(() => undefined);
  if (!st) return sendError(req, res, 404);
  const peer = peerAddress(req);
  await sendFile(req, res, {
    path,
    etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
    contentType: file.endsWith('.efi') ? 'application/efi' : 'application/octet-stream',
    onDone: (bytes) => {
      if (req.method !== 'GET' || bytes === 0) return;
      ctx.events.emit({ type: 'boot.asset', environment: 'ipxe', file, peer, bytes });
    },
  });
}
