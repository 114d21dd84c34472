import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { desktopOpener } from "../../src/cli/open-url.js";

// A stand-in `xdg-open` on PATH that records the URL it was asked to open.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "open-url-"));
const log = path.join(dir, "opened.txt");
fs.writeFileSync(path.join(dir, "xdg-open"), `#!/bin/sh\necho "$1" >> '${log}'\n`, { mode: 0o755 });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function io(env: NodeJS.ProcessEnv, isTTY: boolean): CliIo {
  return { env: { PATH: `${dir}:${process.env.PATH}`, ...env }, stdin: { isTTY } } as unknown as CliIo;
}

const opened = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "");

describe("the login's browser opener", () => {
  it("opens nothing without a terminal, under CI or without a display", async () => {
    desktopOpener(io({ DISPLAY: ":0" }, false), "linux")("http://example.test/a");
    desktopOpener(io({ DISPLAY: ":0", CI: "true" }, true), "linux")("http://example.test/b");
    desktopOpener(io({}, true), "linux")("http://example.test/c");
    desktopOpener(io({ DISPLAY: ":0" }, true), "linux")("http://example.test/d");
    await expect.poll(opened).toContain("http://example.test/d");
    expect(opened()).toBe("http://example.test/d\n");
  });
});
