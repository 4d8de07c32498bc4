// The original frontend's use of better-auth, driven against a running esensi test server.
//
// The pytest test (esensi/tests/auth/test_better_auth_client.py) starts the server, passes
// the accounts in ESENSI_COMPAT (JSON) and answers what only the server side knows (a mailed
// link or code, a TOTP code) over stdin/stdout: this script writes {"ask": ...} lines and reads
// one JSON answer line each. Anything unexpected throws: the process exits 1 with the step.
import { createInterface } from "node:readline";

const config = JSON.parse(process.env.ESENSI_COMPAT);
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function ask(question) {
  process.stdout.write(JSON.stringify({ ask: question }) + "\n");
  const { value, done } = await answers.next();
  if (done) throw new Error("no answer to " + JSON.stringify(question));
  return JSON.parse(value);
}

function check(condition, step, detail) {
  if (!condition) throw new Error(`${step}: ${JSON.stringify(detail)}`);
  process.stderr.write(`ok ${step}\n`);
}

// A browser: one cookie jar, and the Origin header a browser sends with each request.
function browser() {
  const jar = new Map();
  async function customFetchImpl(input, init = {}) {
    const headers = new Headers(init.headers);
    headers.set("origin", config.origin);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";").map((part) => part.trim());
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      const expired = attributes.some((a) => a.toLowerCase() === "max-age=0");
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }
  return customFetchImpl;
}

export async function run({ createAuthClient, twoFactorClient }) {
  const redirects = [];
  const client = (fetchOptions = {}) =>
    createAuthClient({
      baseURL: config.origin,
      fetchOptions,
      plugins: [twoFactorClient({ onTwoFactorRedirect: () => redirects.push(true) })],
    });
  const tab = client({ customFetchImpl: browser() });
  const other = client({ customFetchImpl: browser() });
  const { email, username, password, idCustomer } = config.member;

  // Sign-up: no session until the address is verified.
  const fresh = `baru-${Date.now()}@contoh.id`;
  const up = await tab.signUp.email({ name: "Baru", email: fresh, password: "Kata-Sandi-Baru-1" });
  check(up.data && up.data.token === null && up.data.user.email === fresh, "sign-up", up);

  // A wrong password: better-auth's error code, our message.
  const wrong = await tab.signIn.email({ email, password: "bukan-sandinya-1" });
  check(wrong.error?.status === 401 && wrong.error.code === "INVALID_EMAIL_OR_PASSWORD", "wrong password", wrong.error);
  check(typeof wrong.error.message === "string" && wrong.error.message.length > 0, "error message", wrong.error);

  // Sign-in by email: the session carries the profile ids.
  const signed = await tab.signIn.email({ email, password });
  check(signed.data?.token && signed.data.user.email === email && signed.data.redirect === false, "sign-in/email", signed);
  const session = await tab.getSession();
  check(session.data?.user?.idCustomer === idCustomer && session.data.user.idAuthor === null, "get-session profile ids", session);
  check(session.data.session.userId === session.data.user.id, "get-session session", session.data.session);

  // Sign-in by username in a second browser; both sessions are listed.
  const byName = await other.signIn.username({ username, password });
  check(byName.data?.user?.id === session.data.user.id, "sign-in/username", byName);
  const listed = await tab.listSessions();
  check(Array.isArray(listed.data) && listed.data.length === 2, "list-sessions", listed);

  // A bearer client (no cookies): the token comes in set-auth-token, as the bearer plugin sends it.
  let bearer = "";
  const api = client({
    auth: { type: "Bearer", token: () => bearer },
    customFetchImpl: async (input, init) => {
      const response = await fetch(input, init);
      bearer = response.headers.get("set-auth-token") || bearer;
      return response;
    },
  });
  const viaApi = await api.signIn.email({ email, password });
  check(bearer.length === 43 && bearer === viaApi.data?.token, "set-auth-token", viaApi);
  const viaBearer = await api.getSession();
  check(viaBearer.data?.user?.email === email, "bearer get-session", viaBearer);

  // Changing the password revokes the other sessions.
  const changed = await tab.changePassword({ currentPassword: password, newPassword: "Sandi-Kedua-Baru-2", revokeOtherSessions: true });
  check(!changed.error, "change-password", changed);
  check((await other.getSession()).data === null, "change-password revoked the other session", null);
  check((await tab.getSession()).data?.user?.email === email, "change-password kept this session", null);

  // Forgotten password: the link's token from the outbox sets a new one.
  const forgot = await other.forgetPassword({ email });
  check(forgot.data?.status === true, "forget-password", forgot);
  const { token } = await ask({ mail: "password-reset", to: email, param: "token" });
  const reset = await other.resetPassword({ newPassword: "Sandi-Ketiga-Baru-3", token });
  check(reset.data?.status === true, "reset-password", reset);
  const after = "Sandi-Ketiga-Baru-3";
  check((await tab.getSession()).data === null, "reset-password revoked every session", null);

  // Two-factor: enable, first code turns it on, then a sign-in asks for the second factor.
  check((await tab.signIn.email({ email, password: after })).data?.token, "sign-in after reset", null);
  const enabled = await tab.twoFactor.enable({ password: after });
  check(enabled.data?.totpURI?.startsWith("otpauth://totp/") && enabled.data.backupCodes.length === 10, "two-factor/enable", enabled);
  const secret = new URL(enabled.data.totpURI).searchParams.get("secret");
  const first = await tab.twoFactor.verifyTotp({ code: (await ask({ totp: secret })).code });
  check(first.data?.token && first.data.user.email === email, "two-factor/verify-totp (enable)", first);
  check((await tab.getSession()).data?.user?.twoFactorEnabled === true, "two-factor on", null);
  check((await tab.signOut()).data?.success === true, "sign-out", null);

  const pending = await tab.signIn.email({ email, password: after });
  check(pending.data?.twoFactorRedirect === true && redirects.length === 1, "sign-in gives twoFactorRedirect", pending);
  check((await tab.getSession()).data === null, "no session while the second factor is pending", null);
  const second = await tab.twoFactor.verifyTotp({ code: (await ask({ totp: secret })).code });
  check(second.data?.token, "two-factor/verify-totp (sign-in)", second);
  check((await tab.getSession()).data?.user?.email === email, "second factor gives a session", null);

  // A backup code instead of the authenticator app, in the second browser.
  const half = await other.signIn.email({ email, password: after });
  check(half.data?.twoFactorRedirect === true, "second browser: twoFactorRedirect", half);
  const backup = await other.twoFactor.verifyBackupCode({ code: enabled.data.backupCodes[0] });
  check(backup.data?.token && (await other.getSession()).data?.user?.email === email, "verify-backup-code", backup);
  const reused = await other.twoFactor.verifyBackupCode({ code: enabled.data.backupCodes[0] });
  check(reused.error?.code, "a used backup code is refused", reused);

  // The new login: verify its address by link, sign in with an emailed code, edit the name.
  const third = client({ customFetchImpl: browser() });
  const link = await ask({ mail: "email-verification", to: fresh, param: "token" });
  const verified = await third.verifyEmail({ query: { token: link.token } });
  check(verified.data?.status === true && verified.data.user === null, "verify-email", verified);
  const otpSent = await third.emailOtp.sendVerificationOtp({ email: fresh, type: "sign-in" });
  check(otpSent.data?.success === true, "email-otp/send-verification-otp", otpSent);
  const { otp } = await ask({ mail: "otp-code", to: fresh, field: "otp" });
  const byCode = await third.signIn.emailOtp({ email: fresh, otp });
  check(byCode.data?.token && byCode.data.user.emailVerified === true, "sign-in/email-otp", byCode);
  const renamed = await third.updateUser({ name: "Nama Baru" });
  check(renamed.data?.status === true, "update-user", renamed);
  check((await third.getSession()).data?.user?.name === "Nama Baru", "update-user shows", null);
  const accounts = await third.listAccounts();
  check(accounts.data?.length === 1 && accounts.data[0].provider === "credential", "list-accounts", accounts);
  check((await third.signOut()).data?.success === true, "sign-out (email-otp session)", null);

  // Revoke the other sessions, then sign out: nobody is left.
  check((await tab.revokeOtherSessions()).data?.status === true, "revoke-other-sessions", null);
  check((await other.getSession()).data === null, "the other browser is signed out", null);
  check((await tab.signOut()).data?.success === true, "sign-out again", null);
  check((await tab.getSession()).data === null, "get-session null after sign-out", null);

  process.stdout.write(JSON.stringify({ done: true }) + "\n");
  process.exit(0);
}
