/**
 * `scripts/demo.sh --serve [--port N]`: runs the interactive demo story (story.ts) on the
 * simulated chain and serves the dashboard and the LCD endpoints over it on 127.0.0.1
 * (lcd-server.ts) until interrupted. Prints the URL.
 */
import { startLcdServer, type LcdServer } from "./lcd-server";
import { setupStory, type Story } from "./story";

export const DEFAULT_PORT = 8645;

export async function serveStory(port: number, out: (s: string) => void, artifactsDir?: string): Promise<{ story: Story; server: LcdServer }> {
  out("Rewind demo story on the simulated chain (first half: up to the open proposal)\n");
  const story = await setupStory({ artifactsDir, onRow: (r) => out(`  ${String(r.height).padStart(4)}  ${r.actor.padEnd(9)} ${r.action}`) });
  const server = await startLcdServer({ chain: story.chain, contracts: story.contracts, names: story.names, port, onTx: (l) => out(`  tx: ${l}`) });
  out(`
attack at block ${story.attackHeight}; proposal ${story.proposalId} restores the vault to ${story.restoreHeight} (E-1)

dashboard:  ${server.url}/
LCD:        ${server.url}  (127.0.0.1 only)

Turn on "local only" on the page and walk the rest: vote as holder-1..3 (mallory is refused),
"past the voting period", close, "past the timelock ETA", execute, crank until done.
Or with the CLI (another shell):
  scripts/rewind status
  scripts/rewind vote --proposal ${story.proposalId} --candidate ${story.restoreHeight} --from holder-2
Ctrl-C stops the server.`);
  return { story, server };
}
