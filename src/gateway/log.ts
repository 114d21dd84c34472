/** One line per event, to stderr by default. Callers pass messages that hold no secrets. */
export type Log = (level: "info" | "warn" | "error", message: string) => void;

/** A logger writing `level message` lines to a stream. */
export function streamLog(stream: NodeJS.WritableStream = process.stderr): Log {
  return (level, message) => {
    stream.write(`[${level}] ${message}\n`);
  };
}

/** The message of an unknown thrown value, without its stack. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
