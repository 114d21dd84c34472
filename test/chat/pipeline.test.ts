import { describe, expect, it } from "vitest";
import { pipeline, type Step } from "../../src/chat/pipeline.js";

/** A step that records its name before and after the steps after it. */
function traced(name: string, trace: string[]): Step<string, string> {
  return async (context, next) => {
    trace.push(`${name} in: ${context}`);
    const out = await next(context);
    trace.push(`${name} out: ${out}`);
    return out;
  };
}

describe("pipeline", () => {
  it("runs the steps outermost first, each around the ones after it, ending in the last", async () => {
    const trace: string[] = [];
    const run = pipeline([traced("a", trace), traced("b", trace)], async (c) => `answer to ${c}`);
    expect(await run("hi")).toBe("answer to hi");
    expect(trace).toEqual(["a in: hi", "b in: hi", "b out: answer to hi", "a out: answer to hi"]);
  });

  it("hands on the context a step changed, and lets a step run the rest again", async () => {
    const upper: Step<string, string> = (c, next) => next(c.toUpperCase());
    const twice: Step<string, string> = async (c, next) => `${await next(c)} / ${await next(`${c}!`)}`;
    const run = pipeline([twice, upper], async (c) => c);
    expect(await run("hi")).toBe("HI / HI!");
  });

  it("without steps is the last one alone, and a step may answer without calling the rest", async () => {
    expect(await pipeline<string, string>([], async (c) => `${c}.`)("end")).toBe("end.");
    let called = false;
    const shortCut: Step<string, string> = async () => "early";
    const run = pipeline([shortCut], async () => {
      called = true;
      return "late";
    });
    expect(await run("x")).toBe("early");
    expect(called).toBe(false);
  });
});
