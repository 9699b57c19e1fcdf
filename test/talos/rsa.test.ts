import { execFileSync } from 'node:child_process';
import { checkPrimeSync, createPrivateKey, createPublicKey, publicEncrypt, privateDecrypt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyDer, modInverse, rsaKeyFromPrimes } from '../../src/talos/secrets/rsa.js';
import { missing, skipNote } from '../support/needs.js';

const big = (b64url: string): bigint => BigInt(`0x${Buffer.from(b64url, 'base64url').toString('hex')}`);

/** The smallest prime from `from` on. */
function primeFrom(from: bigint): bigint {
  for (let p = from | 1n; ; p += 2n) if (checkPrimeSync(p)) return p;
}

const why = missing('bin:openssl');

describe('the RSA-4096 service-account key', () => {
  let der: Buffer;
  const dir = mkdtempSync(join(tmpdir(), `talos-rsa-${process.pid}-`));
  beforeAll(async () => {
    der = await generateRsaKeyDer(4096);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a 4096-bit PKCS#1 key with e = 65537 whose parts agree', () => {
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
    expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: 4096, publicExponent: 65537n });
    const j = key.export({ format: 'jwk' });
    const [n, e, d, p, q, dp, dq, qi] = [j.n, j.e, j.d, j.p, j.q, j.dp, j.dq, j.qi].map((v) => big(v!));
    expect(p! * q!).toBe(n);
    expect(p).not.toBe(q);
    for (const prime of [p!, q!]) {
      expect(checkPrimeSync(prime, { checks: 20 })).toBe(true);
      expect(prime.toString(2)).toHaveLength(2048);
    }
    const lambda = ((p! - 1n) * (q! - 1n)) / gcdOf(p! - 1n, q! - 1n);
    expect((e! * d!) % lambda).toBe(1n);
    expect(dp).toBe(d! % (p! - 1n));
    expect(dq).toBe(d! % (q! - 1n));
    expect((qi! * q!) % p!).toBe(1n);
    const secret = Buffer.from('a message only the key can read');
    expect(privateDecrypt(key, publicEncrypt(createPublicKey(key), secret))).toEqual(secret);
  });

  it('is a different key every time', async () => {
    const other = await generateRsaKeyDer(4096);
    expect(other.equals(der)).toBe(false);
  });

  it.skipIf(why)(`passes openssl rsa -check${skipNote(why)}`, () => {
    const file = join(dir, 'sa.pem');
    writeFileSync(file, createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }).export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
    expect(execFileSync('openssl', ['rsa', '-check', '-noout', '-in', file], { encoding: 'utf8' })).toMatch(/RSA key ok/);
  });
});

function gcdOf(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

describe('putting an RSA key together from primes', () => {
  const p = primeFrom(0xc0000000n);
  const q = primeFrom(0xd0000000n);

  it('inverts modulo m, and refuses what has no inverse', () => {
    expect((modInverse(65537n, 1_000_000n) * 65537n) % 1_000_000n).toBe(1n);
    expect(() => modInverse(6n, 9n)).toThrow(RangeError);
  });

  it('makes a key Node can load from two good primes', () => {
    const der = rsaKeyFromPrimes(p, q, 64)!;
    expect(der).toBeDefined();
    const j = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }).export({ format: 'jwk' });
    expect(big(j.n!)).toBe(p * q);
  });

  it('refuses equal primes, primes where e does not divide cleanly, and a modulus of the wrong length', () => {
    expect(rsaKeyFromPrimes(p, p, 64)).toBeUndefined();
    let bad = (0xc0000000n / 65537n + 1n) * 65537n + 1n;
    while (bad % 2n === 0n || !checkPrimeSync(bad)) bad += 65537n;
    expect(rsaKeyFromPrimes(bad, q, 64)).toBeUndefined();
    const small = primeFrom(0x40000000n);
    expect(rsaKeyFromPrimes(small, primeFrom(0x50000000n), 64)).toBeUndefined();
  });
});
