import { main } from '../../src/cli/main';

/** A CliIO that keeps what the command printed. */
export function capture() {
  const io = {
    out: '',
    err: '',
    log: (s: string) => void (io.out += s + '\n'),
    error: (s: string) => void (io.err += s + '\n'),
    stream: { isTTY: false, write: (s: string) => ((io.out += s), true) } as unknown as NodeJS.WritableStream,
  };
  return io;
}

/** Runs `tatami ...argv` and returns its exit code and output. */
export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}
