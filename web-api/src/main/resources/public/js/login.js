// The login page: POST /api/login, then on to where the user came from or to the page for their role.
import { api, ApiError, homeFor, maybeSignedIn } from './pushgate.js';

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');

/** Only a path on this site is a place to go back to (never another origin). */
function nextPage(user) {
  const next = new URLSearchParams(location.search).get('next');
  if (next) {
    // Resolve it the way the browser would ('/\evil.example' is another site to a browser) and keep same-origin only.
    const url = new URL(next, location.origin);
    if (url.origin === location.origin && url.pathname !== '/login.html') return url.pathname + url.search + url.hash;
  }
  return homeFor(user);
}

// Already signed in: straight on. Without the session hint there is no session to ask about.
if (maybeSignedIn()) {
  api('/api/me', { redirectOn401: false }).then((me) => location.replace(nextPage(me)), () => {});
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.hidden = true;
  const button = document.getElementById('login-button');
  button.disabled = true;
  try {
    const body = await api('/api/login', { method: 'POST', redirectOn401: false, body: {
      username: form.username.value.trim(), password: form.password.value } });
    location.assign(nextPage(body.user));
  } catch (err) {
    error.textContent = err instanceof ApiError && err.status === 401
      ? 'Wrong username or password.'
      : err instanceof ApiError && err.status === 429
        ? 'Too many attempts; wait a moment.'
        : 'The server is not answering; try again.';
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});
