#!/usr/bin/env node
// Converts the tzdata embedded in a Go release ($GOROOT/lib/time/zoneinfo.zip, the file Go's
// time.LoadLocation falls back to and time/tzdata embeds) into src/controller/cron/tzdata.ts, the
// zone rules the cron engine uses instead of the JavaScript runtime's ICU. Every runtime (Node 20-26,
// Bun) then answers like a kube-controller-manager built with that Go release.
//
//   node scripts/gen-tzdata.mjs [path/to/zoneinfo.zip]    (default: $(go env GOROOT)/lib/time/zoneinfo.zip)
//
// The version ("2025c") is read from $GOROOT/lib/time/update.bash (DATA=...), or TZDATA_VERSION.
// Per zone the module keeps what Go's LoadLocationFromTZData keeps and lookup uses: the 64-bit
// transitions, each one's UTC offset, the offset before the first transition (Go's lookupFirstZone)
// and the POSIX TZ footer for times after the last transition. Links with identical TZif content
// share one entry. Abbreviations are left out: nothing here prints them.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src/controller/cron/tzdata.ts');

function goroot() {
  for (const go of ['go', '/usr/local/go/bin/go']) {
    try {
      return execFileSync(go, ['env', 'GOROOT'], {
        encoding: 'utf8',
        env: { ...process.env, GOTOOLCHAIN: 'local' },
      }).trim();
    } catch {
      // try the next one
    }
  }
  throw new Error('no Go toolchain: pass the path of zoneinfo.zip');
}

const zipPath = process.argv[2] ?? join(goroot(), 'lib/time/zoneinfo.zip');
let version = process.env.TZDATA_VERSION;
if (!version) {
  const update = readFileSync(join(dirname(zipPath), 'update.bash'), 'utf8');
  version = /^DATA=(\S+)$/m.exec(update)?.[1];
}
if (!version) throw new Error('tzdata version unknown: set TZDATA_VERSION');
let goVersion = 'unknown';
try {
  goVersion = readFileSync(join(dirname(zipPath), '../../VERSION'), 'utf8')
    .split('\n')[0]
    .trim();
} catch {
  // not inside a GOROOT
}

/** Files of a zip archive whose entries are stored (Go's zoneinfo.zip is written uncompressed). */
function readZip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (method !== 0) throw new Error(`${name}: compressed entries are not supported`);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    files.set(name, buf.subarray(dataStart, dataStart + size));
  }
  return files;
}

/** The parts of a TZif file (RFC 8536) Go's loader uses, from the 64-bit block when there is one. */
function parseTzif(name, b) {
  if (b.toString('latin1', 0, 4) !== 'TZif') throw new Error(`${name}: not TZif`);
  const header = (at) => ({
    version: b[at + 4],
    isut: b.readUInt32BE(at + 20),
    isstd: b.readUInt32BE(at + 24),
    leap: b.readUInt32BE(at + 28),
    time: b.readUInt32BE(at + 32),
    type: b.readUInt32BE(at + 36),
    chars: b.readUInt32BE(at + 40),
  });
  let h = header(0);
  let p = 44;
  let wide = false;
  if (h.version >= 0x32) {
    // Skip the 32-bit block: Go reads the 64-bit one.
    p += h.time * 4 + h.time + h.type * 6 + h.chars + h.leap * 8 + h.isstd + h.isut;
    h = header(p);
    p += 44;
    wide = true;
  }
  const when = [];
  for (let i = 0; i < h.time; i++) when.push(wide ? Number(b.readBigInt64BE(p + i * 8)) : b.readInt32BE(p + i * 4));
  p += h.time * (wide ? 8 : 4);
  const index = [...b.subarray(p, p + h.time)];
  p += h.time;
  const types = [];
  for (let i = 0; i < h.type; i++) types.push({ offset: b.readInt32BE(p + i * 6), isDst: b[p + i * 6 + 4] !== 0 });
  p += h.type * 6 + h.chars + h.leap * (wide ? 12 : 8) + h.isstd + h.isut;
  let footer = '';
  if (wide && b[p] === 0x0a) {
    const end = b.indexOf(0x0a, p + 1);
    footer = b.toString('latin1', p + 1, end);
  }
  if (types.length === 0) throw new Error(`${name}: no zone types`);
  return { when, index, types, footer };
}

/** Go's lookupFirstZone: the zone in effect before the first transition. */
function firstZone({ index, types }) {
  if (!index.includes(0)) return 0;
  if (index.length > 0 && types[index[0]].isDst) {
    for (let zi = index[0] - 1; zi >= 0; zi--) if (!types[zi].isDst) return zi;
  }
  const std = types.findIndex((t) => !t.isDst);
  return Math.max(std, 0);
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** "<offsets>|<first>|<transitions>|<footer>": offsets in seconds (comma separated); first = index of
 * the offset before the first transition; transitions = for each, a letter (index into offsets)
 * then base-36 seconds (absolute for the first, then the gap to the previous one). */
function encode(z) {
  const palette = [];
  const idx = (off) => {
    let i = palette.indexOf(off);
    if (i < 0) i = palette.push(off) - 1;
    return i;
  };
  const first = idx(z.types[firstZone(z)].offset);
  let tx = '';
  let prev = null;
  for (let i = 0; i < z.when.length; i++) {
    const letter = LETTERS[idx(z.types[z.index[i]].offset)];
    if (letter === undefined) throw new Error('more than 26 offsets in one zone');
    tx += letter + (prev === null ? z.when[i].toString(36) : (z.when[i] - prev).toString(36));
    prev = z.when[i];
  }
  if (z.footer.includes('|')) throw new Error('footer with |');
  return `${palette.join(',')}|${first}|${tx}|${z.footer}`;
}

const files = readZip(readFileSync(zipPath));
const entries = [];
const byContent = new Map();
const names = {};
for (const [name, data] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const key = data.toString('base64');
  let id = byContent.get(key);
  if (id === undefined) {
    id = entries.push(encode(parseTzif(name, data))) - 1;
    byContent.set(key, id);
  }
  names[name] = id;
}

const text = `// GENERATED by scripts/gen-tzdata.mjs from ${goVersion}'s lib/time/zoneinfo.zip: do not edit.
// IANA tzdata ${version}: ${Object.keys(names).length} zone names, ${entries.length} distinct zones.
// Format: see encode() in scripts/gen-tzdata.mjs; decoded by tz-rules.ts.

/** The tzdata release these rules come from. */
export const TZDATA_VERSION = ${JSON.stringify(version)};

/** The Go release whose zoneinfo.zip was converted. */
export const TZDATA_SOURCE = ${JSON.stringify(`${goVersion} lib/time/zoneinfo.zip`)};

/** Zone name -> index into ZONE_DATA. */
export const ZONE_INDEX: Readonly<Record<string, number>> = ${JSON.stringify(names)};

/** One encoded zone per entry. */
export const ZONE_DATA: readonly string[] = ${JSON.stringify(entries)};
`;
writeFileSync(out, text);
console.error(
  `gen-tzdata: ${version} (${goVersion}): ${Object.keys(names).length} names, ${entries.length} zones, ${text.length} bytes -> ${out}`,
);
