import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fdSink } from "../../src/cli/fd-sink.js";
import { scaled } from "../support/slowness.js";

describe("fdSink: a command's output written to the descriptor", () => {
  it("writes lines in order to a file", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-fd-")), "out.txt");
    const fd = fs.openSync(file, "w");
    try {
      const sink = fdSink(fd, () => {
        throw new Error("a file never needs the stream");
      });
      for (let i = 0; i < 100; i++) sink.write(`line ${i} ünïcödé\n`);
    } finally {
      fs.closeSync(fd);
    }
    const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(100);
    expect(lines[99]).toBe("line 99 ünïcödé");
  });

  it("hands the rest to the stream, in order, when a non-blocking pipe is full", async () => {
    // The writing end of a pipe to `cat`, non-blocking as Node opens it; `cat` reads it only once
    // we have written four times what a pipe holds.
    const cat = spawn("cat", [], { stdio: ["pipe", "pipe", "inherit"] });
    const fd = (cat.stdin as unknown as { _handle: { fd: number } })._handle.fd;
    let streamed = false;
    const sink = fdSink(fd, () => {
      streamed = true;
      return cat.stdin;
    });
    const lines = Array.from({ length: 20_000 }, (_, i) => `${String(i).padStart(8, "0")} of the answer\n`);
    for (const line of lines) sink.write(line);
    expect(streamed).toBe(true);

    let received = "";
    cat.stdout.setEncoding("utf8").on("data", (d: string) => (received += d));
    cat.stdin.end();
    await new Promise((resolve) => cat.on("close", resolve));
    expect(received).toBe(lines.join(""));
  });

  it("drops the output once the reader has gone, instead of failing the command", () => {
    const head = spawn("head", ["-c", "1"], { stdio: ["pipe", "ignore", "inherit"] });
    const fd = (head.stdin as unknown as { _handle: { fd: number } })._handle.fd;
    const sink = fdSink(fd, () => {
      throw new Error("output for a reader that has gone is not queued");
    });
    sink.write("x");
    // Wait for `head` to exit without letting the event loop run: Node would close the pipe then.
    const state = () => fs.readFileSync(`/proc/${head.pid}/stat`, "utf8").split(") ")[1]?.[0];
    const deadline = Date.now() + scaled(10_000);
    while (state() !== "Z" && Date.now() < deadline);
    expect(state()).toBe("Z");
    expect(() => {
      for (let i = 0; i < 100; i++) sink.write("x".repeat(1000));
    }).not.toThrow();
    head.stdin.destroy();
  });
});
