import { ref } from 'vue';

const tokenKey = 'orleansfunc.token';

/**
 * The sign-in token, kept in localStorage so a reload stays signed in. When the server stops
 * accepting it (expired, signed out elsewhere), `expire` drops it and the router shows sign-in.
 */
export const session = {
  token: ref<string | null>(localStorage.getItem(tokenKey)),
  onExpired: (() => {}) as () => void,

  signedIn(token: string) {
    localStorage.setItem(tokenKey, token);
    session.token.value = token;
  },

  signedOut() {
    localStorage.removeItem(tokenKey);
    session.token.value = null;
  },

  expire() {
    session.signedOut();
    session.onExpired();
  },
};
