import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

/** Longest file name kept, so a command cannot make a name the file system refuses. */
const MAX_NAME = 100;
/** Names tried (`chart.png`, `chart-2.png`, …) before giving up; a folder of this many charts wants a clean-up anyway. */
const MAX_TRIES = 1000;

/**
 * The file name a picture is saved under: the command's name stripped of any folder and of everything but letters,
 * digits, dot, dash and underscore (so it can neither leave the folder nor hide as a dot file), ending in .png.
 */
function safePictureName(filename: string): string {
  const stem = basename(filename.replace(/\\/g, '/'))
    .replace(/\.png$/i, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.]+/, '')
    .slice(0, MAX_NAME - 4);
  return `${stem === '' ? 'chart' : stem}.png`;
}

/**
 * Writes the PNG into `dir` (created if missing) under its safe name, numbered when the name is taken: an earlier chart
 * is never overwritten (the exclusive 'wx' flag decides, so two saves at once cannot take the same name). Returns the
 * absolute path.
 */
export async function savePicture(dir: string, filename: string, png: Uint8Array): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = safePictureName(filename);
  const stem = name.slice(0, -4);
  for (let n = 1; n <= MAX_TRIES; n++) {
    const path = resolve(join(dir, n === 1 ? name : `${stem}-${n}.png`));
    try {
      await writeFile(path, png, { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`${MAX_TRIES} files named like ${name} already`);
}
