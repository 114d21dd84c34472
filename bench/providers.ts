import { classifyError } from "../src/providers/classify.js";
import { ConversationHistory } from "../src/providers/history.js";
import { opsPerSecond, type Bench } from "./result.js";

// The per-message work of the chat responder that is ours (the network call is not): building
// the prompt from history, storing the exchange, and classifying a failure.
const bench: Bench = async () => {
  const history = new ConversationHistory({ maxSessions: 500, maxTokens: 16_000 });
  const turn = "a sentence of ordinary length that a person might type into a chat. ".repeat(4);
  for (let s = 0; s < 500; s++) for (let i = 0; i < 20; i++) history.append(`session-${s}`, turn, turn);
  let n = 0;
  const prompt = await opsPerSecond(() => history.prompt(`session-${n++ % 500}`, turn, 16_000));
  const append = await opsPerSecond(() => history.append(`session-${n++ % 500}`, turn, turn));
  const rateLimit = Object.assign(new Error("429 rate limited"), {
    status: 429,
    headers: new Headers({ "retry-after": "7" }),
    error: { type: "error", error: { type: "rate_limit_error", message: "rate limited" } },
  });
  const classify = await opsPerSecond(() => classifyError(rateLimit, 0));
  return [
    { name: "history prompt (20 exchanges, 16k budget)", value: prompt, unit: "ops/s", target: ">= 50000/s" },
    { name: "history append (trim to 16k)", value: append, unit: "ops/s", target: ">= 50000/s" },
    { name: "classify a 429", value: classify, unit: "ops/s", target: ">= 100000/s" },
  ];
};

export default bench;
