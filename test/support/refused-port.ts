import net from "node:net";

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}

/**
 * A loopback port that refuses connections and stays so: a privileged one nothing listens on.
 * A random port closed after use is not: `listen(0)` in a test file running beside this one may be
 * handed it a moment later, and then a connection hangs or is answered instead of refused.
 */
export async function refusedPort(): Promise<number> {
  for (const port of [9, 1, 7, 13, 19, 37, 79, 113]) if (await refuses(port)) return port;
  throw new Error("every probed privileged loopback port accepts connections");
}
