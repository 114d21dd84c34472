import { afterAll } from "vitest";
import { stopThisFilesServers } from "../sessions/redis-server.js";

// Runs in every test file (vitest `setupFiles`): no redis-server a file started outlives the file.
afterAll(stopThisFilesServers);
