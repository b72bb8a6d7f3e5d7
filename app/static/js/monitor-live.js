// The monitor's figures refresh by themselves while the page is open (issue 15).
// Every 5 s the script asks the view's fragment with the ETag it holds: the server
// answers 304 when nothing changed, or the new figures, swapped in place. Polling
// pauses while the tab is hidden. Without this script the page simply stays as loaded.
(function () {
  'use strict';
  var region = document.querySelector('[data-live-url]');
  var ago = document.querySelector('[data-live-ago]');
  var announce = document.querySelector('[data-live-announce]');
  if (!region || !ago || !window.fetch) { return; }
  var url = region.getAttribute('data-live-url');
  var etag = region.getAttribute('data-etag');
  var template = ago.getAttribute('data-template');
  var checked = Date.now();
  var busy = false;
  var stopped = false;

  function tick() {
    var seconds = Math.max(0, Math.round((Date.now() - checked) / 1000));
    ago.textContent = template.replace('{n}', String(seconds));
  }

  function poll() {
    if (stopped || busy || document.hidden) { return; }
    busy = true;
    // no-store: the browser's cache stays out of it, so a 304 reaches the script.
    fetch(url, { headers: { 'If-None-Match': etag }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (response.redirected || response.status === 401 || response.status === 403 || response.status === 404) {
          stopped = true;  // signed out or no longer allowed: keep what is shown
          return null;
        }
        if (response.status === 304) { checked = Date.now(); return null; }
        if (!response.ok) { return null; }
        etag = response.headers.get('ETag') || etag;
        return response.text();
      })
      .then(function (html) {
        if (typeof html !== 'string') { return; }
        region.innerHTML = html;
        region.setAttribute('data-etag', etag);
        checked = Date.now();
        if (announce) {
          // Emptied first, so that a screen reader hears the same notice again.
          announce.textContent = '';
          window.setTimeout(function () { announce.textContent = announce.getAttribute('data-text'); }, 100);
        }
      })
      .catch(function () { /* offline for a moment: try again at the next turn */ })
      .then(function () { busy = false; tick(); });
  }

  tick();
  window.setInterval(tick, 1000);
  window.setInterval(poll, 5000);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) { poll(); }
  });
}());
