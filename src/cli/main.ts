import { readFile } from 'node:fs/promises';
import { CliIo, EXIT_USAGE, UsageError, readAllStdin } from './io.ts';

export type Command = (args: string[], io: CliIo) => Promise<number>;

/** Commands load lazily so `bpfiddle asm` does not pay for the verifier. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  asm: { summary: 'assemble BPF assembly to hex instructions', load: async () => (await import('./cmd-asm.ts')).asmCommand },
  disasm: { summary: 'disassemble hex instructions to kernel-syntax assembly', load: async () => (await import('./cmd-disasm.ts')).disasmCommand },
  verify: { summary: 'verify a program like the Linux 6.18 verifier; print its log', load: async () => (await import('./cmd-verify.ts')).verifyCommand },
  run: { summary: 'verify (when available), then run a program', load: async () => (await import('./cmd-run.ts')).runCommand },
  conformance: { summary: 'run bpf_conformance .data files on the interpreter', load: async () => (await import('./cmd-conformance.ts')).conformanceCommand },
};

export const HELP = `bpfiddle — eBPF assembler, verifier and VM (the engine of the bpfiddle playground)

Usage: bpfiddle <command> [options] INPUT

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

INPUT is FILE.s / FILE.asm (BPF assembly), FILE.json or - (a bundle), FILE.o (ELF).
Run 'bpfiddle <command> --help' for the options of one command.
Exit status: 0 done, 1 rejected with --strict, 2 bad usage or unreadable input.
`;

export function nodeIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: readAllStdin,
    readFile: async (p) => new Uint8Array(await readFile(p)),
  };
}

export async function main(argv: string[], io: CliIo = nodeIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name ? 0 : EXIT_USAGE;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`bpfiddle: unknown command '${name}' (try --help)\n`);
    return EXIT_USAGE;
  }
  try {
    return await (await cmd.load())(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bpfiddle ${name}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr(`bpfiddle ${name}: internal error: ${msg}\n`);
    return EXIT_USAGE;
  }
}
