/** The address -> Server map follows the store: boot tokens, binding addresses, server addresses. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Server, ServerBinding } from '../../src/api/index.js';
import { PeerDirectory } from '../../src/talos-sink/index.js';
import { allocation, startRig, type Rig } from '../http/helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const TOKEN = (peer: string) => `sha256=${'0'.repeat(64)};expires=2099-01-01T00:00:00.000Z;peer=${peer}`;

function server(name: string, o: { addresses?: string[]; token?: string } = {}): Server {
  return {
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name, ...(o.token ? { annotations: { 'metalbox.dev/boot-token': TOKEN(o.token) } } : {}) },
    spec: { accepted: true },
    ...(o.addresses ? { status: { addresses: o.addresses.map((address) => ({ type: 'InternalIP' as const, address })) } } : {}),
  } as Server;
}

describe('peer directory', () => {
  it('prefers the boot token over a binding over a server address, and follows changes and deletions', async () => {
    const r = (rig = await startRig());
    await r.store.create(server(A, { addresses: ['10.9.0.7', '10.9.0.8'] }));
    const peers = new PeerDirectory(r.store);
    peers.start();
    expect(peers.lookup('10.9.0.7')).toBe(A);
    expect(peers.lookup('::ffff:10.9.0.8')).toBe(A);
    expect(peers.lookup('10.9.0.9')).toBeUndefined();

    await r.store.create(server(B, { token: '10.9.0.7' }));
    expect(peers.lookup('10.9.0.7')).toBe(B);
    for (const o of allocation(A)) await r.store.create(o);
    await r.store.mutate<ServerBinding>('ServerBinding', A, undefined, (b) => void (b.spec!.addresses = ['10.9.0.8', 'fd00::8']));
    expect(peers.lookup('fd00::8')).toBe(A);

    await r.store.mutate<Server>('Server', B, undefined, (s) => void delete s.metadata.annotations!['metalbox.dev/boot-token']);
    expect(peers.lookup('10.9.0.7')).toBe(A);
    await r.store.delete('ServerBinding', A);
    expect(peers.lookup('fd00::8')).toBeUndefined();
    expect(peers.lookup('10.9.0.8')).toBe(A);
    peers.stop();
    expect(peers.size).toBe(0);
  });
});
