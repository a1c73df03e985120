import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataFileError } from './data_file_error';
import { readTar } from './tar';

/** What distinguishes CIFAR-10 from CIFAR-100 on disk. */
export interface CifarLayout {
  title: string; // 'CIFAR-10'
  envVar: string;
  loader: string; // 'cifar10' (for messages)
  binDir: string; // folder inside the binary archive
  pyDir: string; // folder inside the Python archive
  binFiles: { train: string[]; test: string[] };
  pyFiles: { train: string[]; test: string[] };
  binArchive: string;
  pyArchive: string;
}

export type CifarFormat = 'binary' | 'python';

/** The files of one copy of a CIFAR dataset, in a folder or inside an archive. */
export interface CifarSource {
  format: CifarFormat;
  /** Where the copy is, for messages. */
  where: string;
  /** A name for `file` in error messages (its path, or archive:member). */
  label(file: string): string;
  /** The bytes of `file`, or an error naming it when it is missing. */
  read(file: string): Promise<Uint8Array>;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function folderSource(dir: string, format: CifarFormat): CifarSource {
  return {
    format,
    where: dir,
    label: (f) => path.join(dir, f),
    async read(f) {
      const p = path.join(dir, f);
      try {
        return await fs.promises.readFile(p);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new DataFileError(`${p} is missing: the ${format} CIFAR copy in ${dir} is incomplete`);
        throw new DataFileError(`${p}: cannot read (${(e as Error).message})`);
      }
    },
  };
}

/** Finds the CIFAR files inside a .tar/.tar.gz archive (by the folder the official archives use). */
async function archiveSource(file: string, layout: CifarLayout): Promise<CifarSource> {
  const entries = await readTar(file);
  const byName = new Map(entries.map((e) => [e.name.replace(/^\.\//, ''), e.data]));
  const formats: [CifarFormat, string, string[]][] = [
    ['python', layout.pyDir, layout.pyFiles.train],
    ['binary', layout.binDir, layout.binFiles.train],
  ];
  for (const [format, dir, train] of formats) {
    if (!byName.has(`${dir}/${train[0]}`)) continue;
    return {
      format,
      where: file,
      label: (f) => `${file} (member ${dir}/${f})`,
      async read(f) {
        const data = byName.get(`${dir}/${f}`);
        if (!data) throw new DataFileError(`${file}: the archive has no ${dir}/${f}: it is incomplete`);
        return data;
      },
    };
  }
  throw new DataFileError(
    `${file}: not a ${layout.title} archive (it holds neither ${layout.pyDir}/${layout.pyFiles.train[0]} ` +
      `nor ${layout.binDir}/${layout.binFiles.train[0]}; found ${entries.slice(0, 5).map((e) => e.name).join(', ')}` +
      `${entries.length > 5 ? ', ...' : ''})`,
  );
}

/** The names a copy may have inside a folder: extracted folders first, then archives. */
function candidates(dir: string, layout: CifarLayout): { dirs: string[]; archives: string[] } {
  return {
    dirs: [
      path.join(dir, layout.pyDir),
      path.join(dir, layout.binDir),
      path.join(dir, `${layout.pyDir}-target`, layout.pyDir), // Keras 3's extracted download
    ],
    archives: [
      path.join(dir, layout.pyArchive),
      path.join(dir, layout.binArchive),
      path.join(dir, `${layout.pyDir}.tar.gz`), // Keras 2's download
      path.join(dir, `${layout.pyDir}-target_archive`), // Keras 3's download
    ],
  };
}

/**
 * The copy at `p`: an archive file, a folder holding the batch files themselves, or a folder
 * holding the extracted folder or the archive under its usual names. Null when none is there.
 */
async function sourceAt(p: string, layout: CifarLayout): Promise<CifarSource | null> {
  if (isFile(p)) return archiveSource(p, layout);
  if (!isDir(p)) return null;
  if (isFile(path.join(p, layout.pyFiles.train[0]))) return folderSource(p, 'python');
  if (isFile(path.join(p, layout.binFiles.train[0]))) return folderSource(p, 'binary');
  const c = candidates(p, layout);
  for (const d of c.dirs) {
    if (isFile(path.join(d, layout.pyFiles.train[0]))) return folderSource(d, 'python');
    if (isFile(path.join(d, layout.binFiles.train[0]))) return folderSource(d, 'binary');
  }
  for (const a of c.archives) if (isFile(a)) return archiveSource(a, layout);
  return null;
}

/** Keras's cache folder: $KERAS_HOME/datasets, else ~/.keras/datasets. */
export function kerasDatasetsDir(): string {
  return path.join(process.env.KERAS_HOME || path.join(os.homedir(), '.keras'), 'datasets');
}

/**
 * Finds a copy of the dataset: `dir` when given, else the environment variable, else Keras's
 * cache. Nothing is downloaded; when no copy is found the error says what to get and where.
 */
export async function findCifar(layout: CifarLayout, dir?: string): Promise<CifarSource> {
  let looked: string[];
  if (dir !== undefined) looked = [path.resolve(dir)];
  else if (process.env[layout.envVar]) looked = [path.resolve(process.env[layout.envVar]!)];
  else looked = [kerasDatasetsDir()];
  for (const p of looked) {
    const s = await sourceAt(p, layout);
    if (s) return s;
  }
  const from = dir !== undefined ? 'the given path' : process.env[layout.envVar] ? `$${layout.envVar}` : "Keras's cache";
  const url = `https://www.cs.toronto.edu/~kriz/${layout.pyArchive}`;
  throw new DataFileError(
    `${layout.title} not found in ${from} (${looked.join(', ')}${isDir(looked[0]) ? '' : ': no such file or folder'}). ` +
      `Nothing is downloaded: get ${url} (or the binary version ${layout.binArchive}) and put it, ` +
      `or the ${layout.pyDir}/ folder it extracts to, in ${kerasDatasetsDir()}; ` +
      `or pass its path to ${layout.loader}.loadData(path), or set ${layout.envVar} to it.`,
  );
}
