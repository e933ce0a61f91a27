/** `pnpm demo <command> [options]`: runs a command and exits with its code (see `--help`). */
import { processIo } from './io.js';
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
