// Runs the shared scenario with the better-auth client installed in this folder.
import { createAuthClient } from "better-auth/client";
import { twoFactorClient } from "better-auth/client/plugins";
import { run } from "../scenario.mjs";

await run({ createAuthClient, twoFactorClient });
