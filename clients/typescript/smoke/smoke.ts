// Smoke test of the generated client against a running server (driven by
// esensi/tests/test_typescript_client.py): sign in, a list, a create, and an error's code.
// Usage: node build-smoke/smoke/smoke.js <origin> <staff email> <staff password>
import { ApiError, createClient, isApiError } from "../src/index.js";

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`smoke: ${message}`);
}

async function rejectsWith(promise: Promise<unknown>, code: string, status: number): Promise<void> {
  try {
    await promise;
  } catch (error) {
    check(isApiError(error, code), `expected ApiError ${code}, got ${String(error)}`);
    check(error.status === status, `expected status ${status}, got ${error.status}`);
    return;
  }
  throw new Error(`smoke: expected ${code}, the call succeeded`);
}

async function main(): Promise<void> {
  const [origin, email, password] = process.argv.slice(2);
  check(origin && email && password, "usage: smoke.js <origin> <email> <password>");
  const anonymous = createClient({ origin, lang: "en" });

  // An error's machine code: no session -> 401 unauthenticated.
  await rejectsWith(anonymous.internal.cfg.list({ limit: 1 }), "unauthenticated", 401);

  // Sign in; the token is `data.token` in our envelope or `token` in better-auth's shape.
  const signedIn: unknown = await anonymous.auth.signInEmail({ email, password });
  const token = (signedIn as { token?: unknown }).token;
  check(typeof token === "string" && token.length > 0, "sign-in gave no token");
  const staff = createClient({ origin, token, lang: "en" });

  // A list: a page with typed rows and pagination.
  const page = await staff.internal.cfg.list({ limit: 5 });
  check(Array.isArray(page.data), "list: data is not an array");
  check(page.pagination.page === 1 && page.pagination.limit === 5, "list: pagination");

  // The seed-style dispatcher: one URL, {action: ...}.
  const rows = await staff.internal.cfg({ action: "list", limit: 2 });
  check(Array.isArray(rows), "dispatcher list: data is not an array");

  // A create, then read it back through the REST route with a path parameter.
  const key = `smoke.${Date.now()}`;
  const created = await staff.internal.cfg.create({ key, value: "from the TypeScript client" });
  check(created.key === key, "create: the row came back");
  const again = await staff.internal.cfgGet({ id: key });
  check(again.value === "from the TypeScript client", "get: the value");

  // Error cases with their codes: a missing row, and invalid input with field errors.
  await rejectsWith(staff.internal.cfg.get({ id: "smoke.no-such-key" }), "not_found", 404);
  try {
    await staff.internal.cfg.create({ key: "Not A Valid Key!", value: "x" });
    throw new Error("smoke: an invalid key was accepted");
  } catch (error) {
    check(error instanceof ApiError && error.code === "validation_error", String(error));
    check(error.fieldErrors.some((item) => item.field === "key"), "validation: names the field");
  }
  console.log(`smoke: ok (${page.data.length} cfg rows listed, created ${key})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
