// The first-sign-in tour: a modal <dialog> paged with Back/Next. The browser's modal
// dialog keeps focus inside it and closes on Esc; focus goes back where it was.
(function () {
  'use strict';
  var dialog = document.getElementById('tour');
  if (!dialog || typeof dialog.showModal !== 'function') { return; }
  var steps = dialog.querySelectorAll('[data-tour-step]');
  var prev = dialog.querySelector('[data-tour-prev]');
  var next = dialog.querySelector('[data-tour-next]');
  var done = dialog.querySelector('[data-tour-done]');
  var current = 0;
  var opener = null;

  function show(index) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    var title = steps[current].querySelector('h2');
    dialog.setAttribute('aria-labelledby', title.id);
    prev.disabled = current === 0;
    var last = current === steps.length - 1;
    next.hidden = last;
    done.hidden = !last;
    title.focus();
  }

  function open() {
    opener = document.activeElement;
    dialog.showModal();
    show(0);
  }

  function markSeen() {
    // Once shown by itself, the tour does not open again; replays are not recorded.
    fetch(dialog.dataset.seenUrl, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      headers: { 'X-CSRFToken': dialog.dataset.csrf }
    }).catch(function () { /* shown again next time: no harm */ });
  }

  prev.addEventListener('click', function () { show(current - 1); });
  next.addEventListener('click', function () { show(current + 1); });
  dialog.querySelector('[data-tour-close]').addEventListener('click', function () { dialog.close(); });
  dialog.addEventListener('close', function () {
    if (opener && typeof opener.focus === 'function') { opener.focus(); }
  });
  document.querySelectorAll('[data-tour-open]').forEach(function (button) {
    button.addEventListener('click', function (event) { event.preventDefault(); open(); });
  });

  if (dialog.dataset.tourAuto || new URLSearchParams(window.location.search).has('tour')) {
    open();
    if (dialog.dataset.tourAuto) { markSeen(); }
  }
})();
