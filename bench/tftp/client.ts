/**
 * Benchmark client (runs inside a lab namespace via startNode): `run` downloads a file `n` times at once
 * with the raw client of test/tftp/support, `curl` does it with n curl processes; both report the wall
 * time of the whole batch.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveChild } from '../../test/lab/node-child.js';
import { tftpGet } from '../../test/tftp/support/tftp-client.js';

interface RunArgs {
  host: string;
  port: number;
  file: string;
  n: number;
  blksize: number;
  windowsize?: number;
}

void serveChild(async () => ({
  ops: {
    run: async (a) => {
      const { host, port, file, n, blksize, windowsize } = a as unknown as RunArgs;
      const started = process.hrtime.bigint();
      const results = await Promise.all(
        Array.from({ length: n }, () => tftpGet({ host, port, file, blksize, windowsize, tsize: true, retryMs: 500, deadlineMs: 120_000 })),
      );
      const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
      const hashes = new Set(results.map((r) => createHash('sha256').update(r.data).digest('hex')));
      return {
        totalMs,
        failed: results.filter((r) => r.error).length,
        bytes: results.reduce((s, r) => s + r.data.length, 0),
        distinctContents: hashes.size,
        windowGranted: results[0]?.oack?.get('windowsize') ?? '1',
        blksizeGranted: results[0]?.oack?.get('blksize') ?? '512',
        dataPackets: results.reduce((s, r) => s + r.dataPackets, 0),
      };
    },
    curl: async (a) => {
      const { host, port, file, n, blksize } = a as unknown as RunArgs;
      const outs = Array.from({ length: n }, (_, i) => join(tmpdir(), `mbx-bench-curl-${process.pid}-${i}`));
      const started = process.hrtime.bigint();
      const codes = await Promise.all(
        outs.map(
          (out) =>
            new Promise<number>((resolve) =>
              execFile('curl', ['-sS', '--tftp-blksize', String(blksize), '-o', out, `tftp://${host}:${port}/${file}`], (e) => resolve(e ? 1 : 0)),
            ),
        ),
      );
      const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
      const hashes = new Set<string>();
      let bytes = 0;
      for (const out of outs) {
        const data = await readFile(out).catch(() => Buffer.alloc(0));
        bytes += data.length;
        hashes.add(createHash('sha256').update(data).digest('hex'));
        await rm(out, { force: true });
      }
      return { totalMs, failed: codes.filter(Boolean).length, bytes, distinctContents: hashes.size, windowGranted: '1', blksizeGranted: String(blksize), dataPackets: 0 };
    },
  },
}));
