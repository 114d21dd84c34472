import net from "node:net";
import { scaled } from "./slowness.js";

/** What a server did with a request written by hand. */
export interface RawOutcome {
  /** Everything the server sent. */
  readonly received: string;
  /** True when the server closed the connection; false when it was still open at the limit. */
  readonly closed: boolean;
}

/**
 * Writes `text` to a fresh connection and waits (at most `limitMs`, scaled) until the server has
 * sent a whole response head, or closed the connection when `untilClosed` is set. The request may
 * stop anywhere (a head without its end, a body shorter than its Content-Length), which is how
 * slow and unfinished clients are tested.
 */
export function rawRequest(
  port: number,
  text: string,
  opts: { readonly untilClosed?: boolean; readonly limitMs?: number } = {},
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let received = "";
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, closed });
    };
    const timer = setTimeout(() => finish(false), scaled(opts.limitMs ?? 5000));
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (!opts.untilClosed && received.includes("\r\n\r\n")) finish(false);
    });
    socket.on("close", () => finish(true));
    // A reset is the server closing on us: "close" follows and says so.
    socket.on("error", () => undefined);
  });
}
