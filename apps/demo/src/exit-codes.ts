/** What `pnpm demo` exits with; `--help` lists them. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Something failed at run time (a backend, the file system …). */
  failure: 1,
  /** The command line was wrong: unknown option, stray argument, bad value. */
  usage: 2,
  /** The checkpoint or ONNX model is missing or cannot be read (corrupt, not a checkpoint, bad metadata, an operator @rnn does not run). */
  checkpoint: 3,
  /** Training diverged (a loss or weight that is not finite); no checkpoint was written. */
  diverged: 4,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM; `train` saved its checkpoint first. */
  interrupted: 130,
} as const;

/** The exit codes as `--help` prints them. */
export const EXIT_CODES_HELP = `exit codes:
  0    done
  1    runtime failure
  2    usage error (unknown option, stray argument, bad value); the usage is printed to stderr
  3    checkpoint or ONNX model missing or unreadable (run-onnx: also an operator or option @rnn does not run)
  4    training diverged (non-finite loss or weights); the previous checkpoint is left as it was
  130  interrupted (Ctrl-C or SIGTERM); train stops after the current iteration and saves first`;
