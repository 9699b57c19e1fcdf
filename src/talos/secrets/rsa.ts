/**
 * The RSA-4096 service-account key, made from two probable primes searched for at the same time.
 *
 * Node's generateKeyPair('rsa') goes through OpenSSL 3's SP 800-56B key generation (auxiliary primes and
 * extra checks), which costs about twice the CPU of the two plain prime searches Go's rsa.GenerateKey (the
 * one talosctl runs) does, and searches for p and q one after the other. Here p and q come from
 * crypto.generatePrime (OpenSSL's BN_generate_prime_ex2: top two bits set, so n has exactly the requested
 * length; Miller-Rabin rounds per OpenSSL's table) in two thread-pool jobs at once, then the key is put
 * together with the FIPS 186-5 checks Go applies (|p - q| and d large enough, e coprime to p-1 and q-1)
 * and checked by a signature round trip before it is used.
 */
import { createPrivateKey, createPublicKey, generatePrime, sign, verify } from 'node:crypto';
import { MetalboxError } from '../../util/errors.js';

function generatePrimeAsync(bits: number): Promise<bigint> {
  return new Promise((resolve, reject) => generatePrime(bits, { bigint: true }, (e, prime) => (e ? reject(e) : resolve(prime))));
}

const E = 65537n;

/** The inverse of a modulo m (a and m coprime), by the extended Euclidean algorithm. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

/** DER INTEGER of a non-negative bigint. */
function derInteger(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let body = Buffer.from(hex, 'hex');
  if (body[0]! & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

function derLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let l = len; l > 0; l >>= 8) bytes.unshift(l & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** PKCS#1 RSAPrivateKey (RFC 8017 A.1.2) from its two primes, or undefined when they make a weak key. */
export function rsaKeyFromPrimes(p: bigint, q: bigint, bits: number): Buffer | undefined {
  if (p === q || p % E === 1n || q % E === 1n) return undefined;
  // FIPS 186-5 A.1.3: |p - q| > 2^(nlen/2 - 100).
  const diff = p > q ? p - q : q - p;
  if (bitLength(diff) <= bits / 2 - 100) return undefined;
  const n = p * q;
  if (bitLength(n) !== bits) return undefined;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(E, lambda);
  if (bitLength(d) <= bits / 2) return undefined; // FIPS 186-5: d > 2^(nlen/2)
  const fields = [0n, n, E, d, p, q, d % (p - 1n), d % (q - 1n), modInverse(q, p)].map(derInteger);
  const body = Buffer.concat(fields);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/** Node can load the key, and a signature made with it (CRT parameters) verifies with n and e alone. */
async function checkKey(der: Buffer): Promise<void> {
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  const msg = Buffer.from('metalbox service-account key check');
  const signature = await new Promise<Buffer>((resolve, reject) => sign('sha256', msg, key, (e, s) => (e ? reject(e) : resolve(s))));
  if (!verify('sha256', msg, createPublicKey(key), signature)) {
    throw new MetalboxError('TALOS_SECRETS_FAILED', 'the new RSA key failed its signature check', {
      hint: 'this points at a broken crypto library; try again, and report it if it repeats',
    });
  }
}

/** An RSA private key of `bits` bits (e = 65537) as PKCS#1 DER. The prime searches and the check's signature run in the thread pool. */
export async function generateRsaKeyDer(bits = 4096): Promise<Buffer> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const [p, q] = await Promise.all([generatePrimeAsync(bits / 2), generatePrimeAsync(bits / 2)]);
    const der = rsaKeyFromPrimes(p, q, bits);
    if (!der) continue;
    await checkKey(der);
    return der;
  }
  throw new MetalboxError('TALOS_SECRETS_FAILED', `no usable ${bits}-bit RSA key after 8 pairs of primes`, {
    hint: 'this points at a broken random source; try again, and report it if it repeats',
  });
}
