import fs from "node:fs";

/** Where a command's lines go: a stream, or anything else with a `write`. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Writes to a standard output's file descriptor directly. Creating `process.stdout` or
 * `process.stderr` loads Node's stream machinery, about 4 ms of a command's start, and most commands
 * print a few lines and exit. Where the descriptor cannot take the text now (a non-blocking pipe
 * that is full), the rest of it and everything after goes through the stream, in order. Where the
 * reader has gone (EPIPE, e.g. `openclaw models list | head -1`), the output is dropped.
 */
export function fdSink(fd: number, stream: () => NodeJS.WritableStream): TextSink {
  let queued: NodeJS.WritableStream | undefined;
  let readerGone = false;
  return {
    write(text) {
      if (readerGone) return;
      if (queued) return queued.write(text);
      const data = Buffer.from(text);
      let written = 0;
      try {
        while (written < data.length) written += fs.writeSync(fd, data, written);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EPIPE") readerGone = true;
        else if (code === "EAGAIN") {
          queued = stream();
          queued.write(data.subarray(written));
        } else throw err;
      }
    },
  };
}
