/** The processes the HTTP benchmarks compare: Metalbox's HTTP service (server-child.ts) and nginx. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface Running {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** A file of `mb` megabytes of random bytes. */
export async function bigFile(path: string, mb: number): Promise<void> {
  const fh = await open(path, 'w');
  for (let i = 0; i < mb; i++) await fh.write(randomBytes(1 << 20));
  await fh.close();
}

function waitLine(child: ChildProcess, re: RegExp, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out}`)), 120_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m);
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', (code) => reject(new Error(`${what} exited ${code}: ${out}`)));
  });
}

/** Metalbox's HTTP service in its own process. */
export async function startMetalboxHttp(dataDir: string, assets: string, servers: number): Promise<Running> {
  const script = resolve(import.meta.dirname, 'server-child.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify({ dataDir, assets, servers })], { stdio: ['pipe', 'pipe', 'pipe'] });
  const m = await waitLine(child, /READY (\d+)/, 'metalbox http');
  return {
    port: Number(m[1]),
    pid: child.pid!,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.stdin?.end();
      }),
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** nginx serving `root` with sendfile, as a distribution package runs it (2 workers on 2 cores). */
export async function startNginx(dir: string, root: string): Promise<Running> {
  const port = await freePort();
  await mkdir(join(dir, 'nginx'), { recursive: true });
  const conf = join(dir, 'nginx', 'nginx.conf');
  await writeFile(
    conf,
    `worker_processes 2;
${process.getuid?.() === 0 ? 'user root;\n' : ''}pid ${dir}/nginx/nginx.pid;
error_log ${dir}/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile ${process.env.BENCH_NGINX_SENDFILE ?? "on"};
  tcp_nopush on;
  keepalive_timeout 65;
  client_body_temp_path ${dir}/nginx/body;
  proxy_temp_path ${dir}/nginx/proxy;
  fastcgi_temp_path ${dir}/nginx/fastcgi;
  uwsgi_temp_path ${dir}/nginx/uwsgi;
  scgi_temp_path ${dir}/nginx/scgi;
  types { application/octet-stream xz; text/plain ipxe; }
  server { listen 127.0.0.1:${port}; root ${root}; }
}
`,
  );
  const child = spawn('nginx', ['-c', conf, '-p', join(dir, 'nginx'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    pid: child.pid!,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGQUIT');
      }),
  };
}

/** Peak and current resident memory of a process, in MB (VmHWM, VmRSS). */
export async function rssOf(pid: number): Promise<{ peakMb: number; nowMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peakMb: kb('VmHWM') / 1024, nowMb: kb('VmRSS') / 1024 };
}

/** nginx's memory: the master and its workers together. */
export async function rssOfTree(pid: number): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  let total = (await rssOf(pid)).nowMb;
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const st = await readFile(`/proc/${p}/stat`, 'utf8').catch(() => '');
    const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) total += (await rssOf(Number(p))).nowMb;
  }
  return total;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
