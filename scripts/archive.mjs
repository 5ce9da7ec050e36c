// The reproducible archive writers of the release scripts (package.mjs: the krew archive;
// image.mjs: the container image's layer and layout): a POSIX ustar written here, in the
// entries' order, with one fixed mtime, owner and modes, and gzip without a name or time.
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

/**
 * A POSIX ustar archive of `entries` ({path, type: file|dir|symlink, data, target, mode, uid}),
 * each with mtime `epoch` and owner uid:uid. A path over 100 bytes is split into ustar's prefix.
 */
export function tar(entries, epoch) {
  const blocks = [];
  for (const e of entries) {
    let name = e.path.replace(/^\//, '') + (e.type === 'dir' ? '/' : '');
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', name.length - 2);
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
      if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
        throw new Error(`path too long for ustar: ${e.path}`);
    }
    const data = e.type === 'file' ? e.data : Buffer.alloc(0);
    const h = Buffer.alloc(512);
    const put = (value, offset, length) => h.write(value, offset, length, 'utf8');
    const octal = (n, length) => `${n.toString(8).padStart(length - 1, '0')}\0`;
    put(name, 0, 100);
    put(octal(e.mode, 8), 100, 8);
    put(octal(e.uid, 8), 108, 8);
    put(octal(e.uid, 8), 116, 8);
    put(octal(data.length, 12), 124, 12);
    put(octal(epoch, 12), 136, 12);
    put('        ', 148, 8);
    put({ file: '0', symlink: '2', dir: '5' }[e.type], 156, 1);
    if (e.type === 'symlink') put(e.target, 157, 100);
    put('ustar\0' + '00', 257, 8);
    put(prefix, 345, 155);
    let sum = 0;
    for (const b of h) sum += b;
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/**
 * gzip at `level` with no name or time (gzip -n), by the gzip program when there is one; else
 * node:zlib (whose output may differ between CPUs: `who` says so on stderr), marked as Unix.
 */
export function gzip(data, level, who) {
  const r = spawnSync('gzip', [`-${level}`, '-n', '-c'], { input: data, maxBuffer: 1 << 30 });
  if (!r.error && r.status === 0) return r.stdout;
  console.error(`${who}: no gzip on PATH; compressing with node:zlib, whose output may differ between CPUs`);
  const out = gzipSync(data, { level });
  out[9] = 3; // OS = Unix, whatever zlib was built for
  return out;
}
