import { PassThrough, Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runConsole } from "../../src/channels/console/index.js";
import { createTestGateway, type TestGateway } from "../support/gateway.js";

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** Runs the console over `lines` (piped, or as a terminal would deliver them) and returns what it printed. */
async function transcript(lines: readonly string[], tty = false, config?: object): Promise<string> {
  gateway = await createTestGateway(config ? { config } : {});
  gateway.useChat({
    respond: async (_ctx, text) => ({ text: `model says: ${text}` }),
    reset: async () => undefined,
    stop: () => false,
    close: () => undefined,
  });
  const input = Object.assign(Readable.from(lines.map((l) => `${l}\n`)), tty ? { isTTY: true } : {});
  const output = new PassThrough();
  let printed = "";
  output.setEncoding("utf8").on("data", (d: string) => (printed += d));
  await runConsole(gateway.host, input, output);
  return printed;
}

describe("the console transcript", () => {
  it("starts with the state dir, echoes each piped line before its answer and separates answers", async () => {
    const out = await transcript(["/model default", "", "hello there"]);
    const [start, first, second, rest] = out.split("\n\n");
    expect(start).toBe(`Console chat · state dir ${gateway?.stateDir} · /help lists the commands; end with Ctrl-D`);
    expect(first?.split("\n")[0]).toBe("> /model default");
    expect(first).toContain("This chat now uses anthropic/claude-sonnet-5-5");
    expect(second).toBe("> hello there\nmodel says: hello there");
    expect(rest).toBe("");
  });

  it("masks a pasted key in the echo", async () => {
    const key = `sk-ant-api03-${"x".repeat(80)}AbCd`;
    const out = await transcript([`/model opus@${key}`]);
    expect(out).toContain("> /model opus@sk-ant-a…AbCd");
    expect(out).not.toContain(key);
  });

  it("does not echo what a terminal already showed", async () => {
    const out = await transcript(["hello"], true);
    expect(out.split("\n\n")[1]).toBe("model says: hello");
  });

  it("/help lists every plugin command, and an unknown /word goes to the model as text", async () => {
    const out = await transcript(["/help", "/foo bar"]);
    const [, help, foo] = out.split("\n\n");
    expect(help).toContain("Commands:");
    expect(help).toMatch(/^\/model \S.* — /m);
    expect(help).toMatch(/^\/models .* — /m);
    expect(help).toMatch(/^\/opus .*— /m);
    expect(help).toContain("/help — this list");
    expect(help).toContain("Anything else, including a /word that is not listed here, goes to the model as a message.");
    expect(foo).toBe("> /foo bar\nmodel says: /foo bar");
  });

  it("runs an alias with a dot as a command, and a directive only at the start of a message", async () => {
    const config = { agents: { defaults: { models: { "anthropic/claude-haiku-4-5": { alias: "test.alias" } } } } };
    const out = await transcript(["/test.alias", "please try /opus later", "/model status"], false, config);
    const [, alias, mid, status] = out.split("\n\n");
    expect(alias?.split("\n").slice(0, 2)).toEqual([
      "> /test.alias",
      "Model for this chat: anthropic/claude-haiku-4-5 (test.alias).",
    ]);
    expect(mid).toBe("> please try /opus later\nmodel says: please try /opus later");
    expect(status).toContain("Model: anthropic/claude-haiku-4-5 (test.alias)");
  });
});

describe("the console shows an answer while it is written", () => {
  const PIECES = ["first li", "ne\nsecond", " line\nthi", "rd line"];

  /** Runs one line against a responder that streams PIECES; returns each write after the banner. */
  async function writes(outputTty: boolean, lines = ["tell me"], pieces = PIECES): Promise<string[]> {
    gateway = await createTestGateway();
    gateway.useChat({
      respond: async (_ctx, _text, sink) => {
        let sofar = "";
        for (const piece of pieces) {
          sofar += piece;
          sink?.update(sofar);
          await new Promise((r) => setTimeout(r, 5));
        }
        return { text: sofar };
      },
      reset: async () => undefined,
      stop: () => false,
      close: () => undefined,
    });
    const input = Readable.from(lines.map((l) => `${l}\n`));
    const output = Object.assign(new PassThrough(), outputTty ? { isTTY: true } : {});
    const seen: string[] = [];
    output.setEncoding("utf8").on("data", (d: string) => void seen.push(d));
    await runConsole(gateway.host, input, output);
    return seen.slice(1);
  }

  it("on a terminal, piece by piece as the model writes", async () => {
    const out = await writes(true);
    expect(out).toEqual(["> tell me\nfirst li", "ne\nsecond", " line\nthi", "rd line", "\n\n"]);
  });

  it("piped, a whole line at a time, with the same transcript as without streaming", async () => {
    const out = await writes(false);
    expect(out).toEqual(["> tell me\nfirst line\n", "second line\n", "third line\n\n"]);
    expect(out.join("")).toBe("> tell me\nfirst line\nsecond line\nthird line\n\n");
  });

  for (const tty of [false, true]) {
    it(`prints an answer that ends in a line break once (${tty ? "terminal" : "piped"})`, async () => {
      const out = await writes(tty, ["tell me"], ["first line\nsecond", " line\n"]);
      expect(out.join("")).toBe("> tell me\nfirst line\nsecond line\n\n");
    });
  }
});
