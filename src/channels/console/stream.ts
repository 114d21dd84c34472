import type { Reply, ReplyStream } from "../../gateway/types.js";

/**
 * Writes one console line's replies as they come. On a terminal an answer appears piece by piece
 * as the model writes it; piped, it is written a whole line at a time, so a script reading the
 * output never sees half a line. `head` (the echo of a piped line) goes first, and only when
 * something is written. Each reply ends with a blank line.
 */
export class ConsoleStream implements ReplyStream {
  private written = "";
  private started = false;

  constructor(
    private readonly output: NodeJS.WritableStream,
    private readonly tty: boolean,
    private readonly head: string,
  ) {}

  async send(reply: Reply): Promise<void> {
    this.write(`${reply.text.replace(/\n+$/, "")}\n\n`);
  }

  update(textSoFar: string): void {
    if (!textSoFar.startsWith(this.written)) return;
    const upto = this.tty ? textSoFar.length : textSoFar.lastIndexOf("\n") + 1;
    if (upto <= this.written.length) return;
    this.write(textSoFar.slice(this.written.length, upto));
    this.written = textSoFar.slice(0, upto);
  }

  async finish(reply: Reply): Promise<void> {
    const text = reply.text.replace(/\n+$/, "");
    // The final text continues what was written, unless it was rewritten (masked) on the way. What
    // was written may already hold the line breaks the final text ends with: only the rest of the
    // blank line follows then.
    if (text.startsWith(this.written)) this.write(`${text.slice(this.written.length)}\n\n`);
    else if (this.written.startsWith(text) && /^\n+$/.test(this.written.slice(text.length)))
      this.write("\n\n".slice(Math.min(2, this.written.length - text.length)));
    else this.write(`\n${text}\n\n`);
    this.written = "";
  }

  // The head goes out in one write with what follows it, so a reader never sees the echo alone.
  private write(text: string): void {
    this.output.write(this.started ? text : `${this.head}${text}`);
    this.started = true;
  }
}
