import { classifyError } from "../src/providers/classify.js";
import { ConversationHistory } from "../src/chat/history.js";
import { alternate, opsPerSecond, rateFigure, type Bench } from "./result.js";

const SESSIONS = 500;
const EXCHANGES = 20;

// The per-message work of the chat responder that is ours (the network call is not): building
// the prompt from history, storing the exchange, and classifying a failure. Each against the
// least any implementation does: arrays of the same turns in a Map, and reading the two fields.
const bench: Bench = async () => {
  const history = new ConversationHistory({ maxSessions: SESSIONS, maxTokens: 16_000 });
  const plain = new Map<string, string[]>();
  const turn = "a sentence of ordinary length that a person might type into a chat. ".repeat(4);
  for (let s = 0; s < SESSIONS; s++) {
    for (let i = 0; i < EXCHANGES; i++) history.append(`session-${s}`, turn, turn);
    plain.set(
      `session-${s}`,
      Array.from({ length: 2 * EXCHANGES }, () => turn),
    );
  }
  let n = 0;
  const turns = () => plain.get(`session-${n++ % SESSIONS}`) ?? [];
  const prompt = await alternate(
    (ms) => opsPerSecond(() => history.prompt(`session-${n++ % SESSIONS}`, turn, 16_000), ms),
    (ms) =>
      opsPerSecond(
        () => [
          ...turns().map((content, i) => ({ role: i % 2 ? "assistant" : "user", content })),
          { role: "user", content: turn },
        ],
        ms,
      ),
  );
  const append = await alternate(
    (ms) => opsPerSecond(() => history.append(`session-${n++ % SESSIONS}`, turn, turn), ms),
    (ms) =>
      opsPerSecond(() => {
        const t = turns();
        t.push(turn, turn);
        t.splice(0, 2);
      }, ms),
  );
  const rateLimit = Object.assign(new Error("429 rate limited"), {
    status: 429,
    headers: new Headers({ "retry-after": "7" }),
    error: { type: "error", error: { type: "rate_limit_error", message: "rate limited" } },
  });
  const classify = await alternate(
    (ms) => opsPerSecond(() => classifyError(rateLimit, 0), ms),
    (ms) => opsPerSecond(() => rateLimit.status === 429 && Number(rateLimit.headers.get("retry-after")), ms),
  );
  return [
    rateFigure(
      `history prompt (${EXCHANGES} exchanges, 16k budget)`,
      "ops/s",
      prompt,
      "copying the same turns into messages",
      10,
    ),
    rateFigure("history append (trim to 16k)", "ops/s", append, "push + drop oldest on a plain array", 10),
    rateFigure("classify a 429", "ops/s", classify, "reading status and retry-after", 10),
  ];
};

export default bench;
