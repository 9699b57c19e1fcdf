/**
 * Work a parked machine's re-asks do not repeat (most `/ipxe` requests are those: every parked machine
 * asks again every 30 seconds with exactly the query its park script carries). Remembered: the facts read
 * from a query string, and the park script last rendered for each server. Both are bounded, and both only
 * save time and garbage (fewer collector pauses in the tail of the latency); neither changes an answer.
 */
import { factsQuery, parkScript, parseBootFacts, type BootFacts, type Templates, type Urls } from '../boot/index.js';

export interface ReadFacts {
  facts: Readonly<BootFacts>;
  /** factsQuery(facts). */
  query: string;
}

export interface ParkMemo {
  base: string;
  reason: string;
  seconds: number;
  facts: string;
  script: string;
}

export interface Memo {
  /** Query string (as received) -> its facts. */
  facts: Map<string, ReadFacts>;
  /** Server -> its last park script and what it was rendered from. */
  parks: Map<string, ParkMemo>;
}

/** Most query strings remembered; beyond it the memory starts over. */
const FACTS_LIMIT = 4096;
/** Most park scripts remembered. */
const PARKS_LIMIT = 20_000;

export function newMemo(): Memo {
  return { facts: new Map(), parks: new Map() };
}

function frozen(f: BootFacts): Readonly<BootFacts> {
  Object.freeze(f.macs);
  Object.freeze(f.system);
  Object.freeze(f.cpu);
  return Object.freeze(f);
}

/** The facts of an `/ipxe` query string, read once per distinct string. */
export function factsOfQuery(memo: Memo, raw: string): { ok: true; read: ReadFacts } | { ok: false; reason: string } {
  const hit = memo.facts.get(raw);
  if (hit) return { ok: true, read: hit };
  const parsed = parseBootFacts(new URLSearchParams(raw));
  if (!parsed.ok) return parsed;
  const read = { facts: frozen(parsed.facts), query: factsQuery(parsed.facts) };
  if (memo.facts.size >= FACTS_LIMIT) memo.facts.clear();
  memo.facts.set(raw, read);
  return { ok: true, read };
}

/** parkScript, rendered again only when something it shows changed. */
export function parkScriptFor(memo: Memo, t: Templates, u: Urls, p: { server: string; reason: string; seconds: number; facts: string }): string {
  const m = memo.parks.get(p.server);
  if (m && m.base === u.base && m.reason === p.reason && m.seconds === p.seconds && m.facts === p.facts) return m.script;
  const script = parkScript(t, u, p);
  if (memo.parks.size >= PARKS_LIMIT) memo.parks.clear();
  memo.parks.set(p.server, { base: u.base, reason: p.reason, seconds: p.seconds, facts: p.facts, script });
  return script;
}
