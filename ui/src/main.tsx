/**
 * Entry point. `mount(el)` renders the app into `el` from scratch and tears it down (socket,
 * timers) once `el` leaves the document, as happens when Webmin's Authentic theme swaps the
 * page by pjax. The standalone page mounts itself on #app.
 */
import { render } from 'preact';
import { type Endpoints, pageBase } from './api.js';
import { App } from './App.js';
import './styles.css';

/** `base`: what `api/…` calls are prefixed with; defaults to the page's own directory. */
export type MountOptions = Partial<Endpoints>;

const mounted = new WeakMap<HTMLElement, () => void>();

/** Renders the app into `el`; returns a function that unmounts it (also called automatically). */
export function mount(el: HTMLElement, opts: MountOptions = {}): () => void {
  mounted.get(el)?.();
  el.textContent = '';
  el.classList.add('uc-root');
  render(<App endpoints={{ ...opts, base: opts.base ?? pageBase() }} />, el);

  // Watch for `el` leaving the document. It may be mounted before it is attached, so only a
  // disconnect after having been connected counts.
  let seen = el.isConnected;
  const observer = new MutationObserver(() => {
    if (el.isConnected) seen = true;
    else if (seen) unmount();
  });
  observer.observe(document, { childList: true, subtree: true });

  function unmount() {
    if (mounted.get(el) !== unmount) return;
    mounted.delete(el);
    observer.disconnect();
    render(null, el); // runs every effect's cleanup: the socket and timers close here
  }
  mounted.set(el, unmount);
  return unmount;
}

// The standalone page (index.html) has #app; a Webmin page calls mount() itself.
const app = document.getElementById('app');
if (app) mount(app);
