// Sign-in: the local token of a zero-configuration server on loopback, or a pasted Supabase token
// kept in this tab's sessionStorage (never in a URL).

const STORAGE_KEY = 'eros.token';

/** {token, userId} from GET /local/token, or null when this server does not offer one. */
export async function localToken() {
  let res;
  try {
    res = await fetch('/local/token', { cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch {
    return null;
  }
  if (!res.ok) return null;
  const body = await res.json();
  return { token: body.token, userId: body.user_id, local: true };
}

/** Whether the server offers GET /local/token (it says so in the page, so no request fails when it does not). */
export function localSignInOffered() {
  return document.querySelector('meta[name="local-sign-in"]')?.getAttribute('content') === 'on';
}

/** The user id (the "sub" claim) of a JWT; throws Error for text that is not a JWT with a UUID sub. */
export function userOfToken(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('This is not a JWT (three parts separated by dots).');
  let claims;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    claims = JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)));
  } catch {
    throw new Error('The token payload cannot be read.');
  }
  if (typeof claims.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(claims.sub)) {
    throw new Error('The token has no user id (sub) that is a UUID.');
  }
  return claims.sub;
}

/** The pasted token of this tab, or null. */
export function storedToken() {
  return sessionStorage.getItem(STORAGE_KEY);
}

/** Keeps a pasted token for this tab (null forgets it). */
export function storeToken(token) {
  if (token) sessionStorage.setItem(STORAGE_KEY, token);
  else sessionStorage.removeItem(STORAGE_KEY);
}
