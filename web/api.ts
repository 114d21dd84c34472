/** The session's CSRF token, which the server put in the page. */
const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";

/** Thrown for an answer that is not 2xx, with the server's words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  readonly error?: string;
  readonly hint?: string;
}

async function read<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T & ErrorBody;
  if (!res.ok)
    throw new ApiError(res.status, [body.error, body.hint].filter(Boolean).join(" ") || `HTTP ${res.status}`);
  return body;
}

/**
 * GETs one of the page's JSON endpoints. A `poll` (the page refreshing itself) says so in the
 * header the server's POLL_HEADER names, so an open tab alone keeps no session alive.
 */
export async function getJson<T>(path: string, poll: boolean): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...(poll ? { "x-ui-poll": "1" } : {}) };
  return read<T>(await fetch(path, { headers }));
}

/** POSTs an action with the CSRF token; resolves with what the server says it did. */
async function post(path: string, body: object): Promise<string> {
  const res = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrf },
    body: JSON.stringify(body),
  });
  return (await read<{ message: string }>(res)).message;
}

/** Says the result of an action where screen readers hear it. */
export function notify(text: string, failed = false): void {
  const notice = document.getElementById("notice");
  if (!notice) return;
  notice.textContent = text;
  notice.className = failed ? "failed" : "";
}

/** Runs an action, says how it went, then redraws. */
export async function act(path: string, body: object, after: () => void): Promise<void> {
  try {
    notify(await post(path, body));
  } catch (err) {
    notify(err instanceof Error ? err.message : String(err), true);
  }
  after();
}
