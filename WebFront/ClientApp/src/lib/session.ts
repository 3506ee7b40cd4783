import { ref } from 'vue';

/** Only whether this browser is signed in (not a secret), so a reload knows to show the console. */
const signedInKey = 'orleansfunc.signedIn';
/** Where versions before the session cookie kept the token itself: removed on load. */
const formerTokenKey = 'orleansfunc.token';
localStorage.removeItem(formerTokenKey);

/**
 * The console's sign-in. The token itself lives in an HttpOnly cookie that the server sets at
 * sign-in and that page scripts cannot read; the console marks its requests with `X-Dff-Console`,
 * without which the server ignores the cookie. When the server stops accepting the session
 * (expired, signed out elsewhere), `expire` forgets it and the router shows sign-in.
 */
export const session = {
  active: ref<boolean>(localStorage.getItem(signedInKey) === '1'),
  onExpired: (() => {}) as () => void,

  signedIn() {
    localStorage.setItem(signedInKey, '1');
    session.active.value = true;
  },

  signedOut() {
    localStorage.removeItem(signedInKey);
    session.active.value = false;
  },

  expire() {
    session.signedOut();
    session.onExpired();
  },
};

/** The header every console request carries, so that the server accepts its session cookie. */
export const consoleHeader = { 'X-Dff-Console': '1' } as const;
