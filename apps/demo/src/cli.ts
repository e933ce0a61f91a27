/** `pnpm demo <command> [options]`: dispatches to one of the demo's commands. */
type Command = { readonly describe: string; readonly load: () => Promise<{ run(argv: readonly string[]): Promise<void> }> };

const COMMANDS: Record<string, Command> = {
  walkthrough: { describe: 'the eight cell functions on the NumPy notebook draws (default)', load: () => import('./commands/walkthrough.js') },
  train: { describe: 'train a character LSTM or RNN on dinosaur names', load: () => import('./commands/train.js') },
  sample: { describe: 'sample names from a checkpoint', load: () => import('./commands/sample.js') },
};

async function main(argv: readonly string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === 'help') {
    console.log('usage: pnpm demo [command] [options]\n');
    for (const [name, c] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(12)} ${c.describe}`);
    return;
  }
  const named = first !== undefined && !first.startsWith('--') ? COMMANDS[first] : undefined;
  if (first !== undefined && !first.startsWith('--') && named === undefined) {
    throw new Error(`unknown command ${first}; try: ${Object.keys(COMMANDS).join(', ')}`);
  }
  const command = named ?? (COMMANDS.walkthrough as Command);
  await (await command.load()).run(named === undefined ? argv : rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `error: ${error.message}` : error);
  process.exitCode = 1;
});
