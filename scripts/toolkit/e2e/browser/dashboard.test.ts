/**
 * The dashboard (web/) in Debian's chromium, driven by playwright-core, against the local
 * backend over the demo story on the simulated chain (the built artifacts). Walks the
 * story: the pause countdown, a refused vote showing the chain's error, the holders' votes,
 * close, the timelock, execute, the cranks, the restoration finishing with its digest
 * verified; takes a screenshot of each view (tmp/screenshots/, git-ignored; set
 * REWIND_SCREENSHOTS to write elsewhere, e.g. docs/screenshots) and checks what is on it.
 *
 * A missing browser FAILS this test (scripts/setup.sh installs /usr/bin/chromium).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { chromium, type BrowserContext, type Page } from "playwright-core";

import { ARTIFACTS_DIR, REPO_ROOT } from "../../src/deploy";
import { startLcdServer, type LcdServer } from "../../src/lcd-server";
import { CONTRACTS } from "../../src/plan";
import { setupStory, type Story } from "../../src/story";

/** The page's `document` inside page.waitForFunction callbacks (run in the browser). */
declare const document: { querySelector(selector: string): { textContent: string | null; classList: { contains(c: string): boolean }; disabled?: boolean } | null };

const CHROMIUM = process.env.REWIND_CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = process.env.REWIND_SCREENSHOTS ?? join(REPO_ROOT, "tmp", "screenshots");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Width and height of a PNG (its IHDR). */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  assert.equal(b.subarray(1, 4).toString("latin1"), "PNG", `${file} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

const NO_BROWSER = `no browser at ${CHROMIUM}: run scripts/setup.sh (it installs Debian's chromium) or set REWIND_CHROMIUM`;

// Counted as a failed test (not only a failed hook) when the browser is missing.
test("Debian's chromium is installed", () => {
  assert.ok(existsSync(CHROMIUM), NO_BROWSER);
});

describe("the dashboard in chromium over the local backend", () => {
  let story: Story;
  let server: LcdServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const errors: string[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), NO_BROWSER);
    const missing = CONTRACTS.filter((n) => !existsSync(join(ARTIFACTS_DIR, `${n}.wasm`)));
    assert.deepEqual(missing, [], `artifacts missing in ${ARTIFACTS_DIR}: run scripts/build.sh`);
    story = await setupStory();
    server = await startLcdServer({ chain: story.chain, contracts: story.contracts, names: story.names, port: 0 });
    profile = mkdtempSync(join(tmpdir(), "rewind-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const shot = async (id: string, name: string) => {
    const file = join(SHOTS, `${name}.png`);
    await page.locator(`#${id}`).screenshot({ path: file });
    const { width, height } = pngSize(file);
    assert.ok(width > 300 && height > 100, `${name}.png is ${width}x${height}`);
    return file;
  };
  const signAs = async (name: string) => page.selectOption("#signer", name);

  test("targets view: both pauses with their countdown, who paused and why; the budget", async () => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector(".target");
    const trade = page.locator('.scope[data-scope="trade"]');
    await assert.doesNotReject(trade.waitFor());
    assert.match(await trade.innerText(), /paused, ends in 2 d 23 h 59 min/);
    const targets = await page.locator("#targets").innerText();
    assert.match(targets, /withdraw\s+paused, ends in 2 d 23 h/);
    assert.match(targets, /by guardian .*“oracle manipulation at block E”/);
    assert.match(targets, /deposit\s+open/);
    assert.match(targets, /guardian budget: used/);
    assert.match(targets, /vault/);
    await shot("targets-view", "targets");
    // The countdown follows the chain's clock.
    await page.check("#local-only");
    await page.click('[data-advance="3600"]');
    await page.waitForFunction(() => /ends in 2 d 22 h 59 min/.test(document.querySelector('.scope[data-scope="trade"]')?.textContent ?? ""));
  });

  test("proposals view: signing is off until the local switch; a refused vote shows the chain's error; the votes move the tally", async () => {
    await page.uncheck("#local-only");
    await page.waitForFunction(() => document.querySelector("button.vote")?.disabled === true);
    assert.equal(await page.isVisible("#signer"), false);
    await page.check("#local-only");
    assert.equal(await page.isVisible("#signer"), true);
    await signAs("mallory");
    await page.click(`button.vote[data-height="${story.restoreHeight}"]`);
    await page.waitForSelector("#message.error");
    assert.match(await page.innerText("#message"), /vote \d+ refused: .*has no voting power at height \d+/);
    for (const h of ["holder-1", "holder-2", "holder-3"]) {
      await signAs(h);
      await page.click(`button.vote[data-height="${story.restoreHeight}"]`);
      await page.waitForFunction(() => !document.querySelector("#message")?.classList.contains("error") && /included at height/.test(document.querySelector("#message")?.textContent ?? ""));
    }
    await page.waitForFunction(() => document.querySelector(".proposal .turnout")?.textContent === "100%");
    const text = await page.locator("#proposals").innerText();
    assert.match(text, new RegExp(`candidate height ${story.restoreHeight}: 1000000 votes \\(100% of cast\\)`));
    assert.match(text, /quorum 33\.4%/);
    assert.match(text, /threshold 66\.7%/);
    assert.match(text, /exclusions \(2\), policy pro_rata_haircut/);
    assert.match(text, /mallory .*last acted at \d+ on vault/);
    assert.match(text, /feeder .*last acted at \d+ on vault/);
    await shot("proposals-view", "proposals");
  });

  test("restoration view: close, timelock, execute, crank until done; the digest check is verified", async () => {
    await signAs("keeper");
    await page.click("#advance-voting");
    await page.waitForSelector("button.close", { timeout: 10_000 }).catch(async (e) => {
      throw new Error(`${(e as Error).message}\n${await page.innerText("#message")}\n${await page.innerText("#proposals")}`);
    });
    await page.click("button.close");
    await page.waitForSelector(".operation button.execute");
    assert.match(await page.innerText(".operation"), /ETA .* in 12 h/);
    await page.click("button.execute");
    await page.waitForSelector("#message.error");
    assert.match(await page.innerText("#message"), /execute \d+ refused: .*is not due/);
    await page.click("#advance-eta");
    await page.waitForFunction(() => /due/.test(document.querySelector(".operation .eta")?.textContent ?? ""));
    await page.click("button.execute");
    await page.waitForSelector(".restoration button.crank");
    assert.match(await page.innerText(".restoration .rstate"), /running/);
    await page.click("button.crank");
    await page.waitForFunction(() => /crank: included/.test(document.querySelector("#message")?.textContent ?? ""));
    await page.click("button.crank-all");
    await page.waitForFunction(() => document.querySelector(".restoration .rstate")?.textContent === "complete", undefined, { timeout: 60_000 });
    const text = await page.locator("#restoration").innerText();
    assert.match(text, /phase complete \(step 7 of 7\)/);
    assert.match(text, /digest check: verified/);
    assert.match(text, /settled [1-9]/);
    assert.match(text, new RegExp(`to height ${story.restoreHeight}: complete`));
    await shot("restoration-view", "restoration");
  });

  test("timeline view: the pause windows, the voting window with the votes sent, the timelock and the restoration", async () => {
    const svg = page.locator("#timeline-svg");
    await svg.waitFor();
    assert.equal(await page.locator("#timeline-svg rect.tl-pause").count(), 2);
    assert.equal(await page.locator("#timeline-svg rect.tl-vote").count(), 1);
    assert.equal(await page.locator("#timeline-svg rect.tl-timelock").count(), 1);
    assert.equal(await page.locator("#timeline-svg rect.tl-restore").count(), 1);
    assert.equal(await page.locator("#timeline-svg circle.tl-vote-mark").count(), 3, "one mark per accepted vote");
    const lanes = (await svg.textContent()) ?? "";
    for (const l of ["pause trade", "pause withdraw", `proposal ${story.proposalId} vote`, "op 1 timelock", "restoration 1"]) assert.ok(lanes.includes(l), l);
    await shot("timeline-view", "timeline");
    await page.screenshot({ path: join(SHOTS, "dashboard.png"), fullPage: true });
    assert.ok(pngSize(join(SHOTS, "dashboard.png")).height > 800);
    assert.deepEqual(errors, [], "no uncaught errors on the page");
  });
});
