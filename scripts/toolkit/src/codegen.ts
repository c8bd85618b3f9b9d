/**
 * Generates the TypeScript client of every Rewind contract from its committed JSON schema
 * (`schema/<contract>/<contract>.json`) with @cosmwasm/ts-codegen (pinned in package.json).
 *
 *   tsx toolkit/src/codegen.ts <outDir>
 *
 * Per contract: `<Name>.types.ts` (every message and response type) and `<Name>.client.ts`
 * (a query client and a signing client), plus the shared `baseClient.ts`. The toolkit imports
 * the `.types.ts` files for its messages; `scripts/codegen.sh` wraps this and checks it.
 */
import codegen from "@cosmwasm/ts-codegen";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const REPO_ROOT = resolve(__dirname, "..", "..", "..");
const SCHEMA_DIR = join(REPO_ROOT, "schema");

/** Every `schema/<contract>/` holding its write_api! IDL file. */
export function schemaContracts(dir = SCHEMA_DIR): { name: string; dir: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, `${e.name}.json`)))
    .map((e) => e.name)
    .sort()
    // "rewind-vault" -> "rewind_vault": ts-codegen pascal-cases it to RewindVault.
    .map((name) => ({ name: name.replace(/-/g, "_"), dir: join(dir, name) }));
}

export async function generate(outPath: string): Promise<void> {
  const contracts = schemaContracts();
  if (contracts.length === 0) throw new Error(`no schema/<contract>/<contract>.json under ${SCHEMA_DIR}`);
  await codegen({
    contracts,
    outPath,
    options: {
      bundle: { enabled: false },
      types: { enabled: true },
      client: { enabled: true, noImplicitOverride: true },
      reactQuery: { enabled: false },
      recoil: { enabled: false },
      messageComposer: { enabled: false },
      messageBuilder: { enabled: false },
      useContractsHook: { enabled: false },
    },
  });
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write("usage: tsx toolkit/src/codegen.ts <outDir>\n");
    process.exit(2);
  }
  generate(resolve(out)).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`codegen failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
