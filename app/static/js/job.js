// The period-opening job page: poll its status until it finishes, then reload.
(function () {
  'use strict';
  var bar = document.getElementById('job-progress');
  if (!bar || bar.dataset.finished === 'true') return;
  function poll() {
    fetch(bar.dataset.url, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.setAttribute('aria-valuenow', job.percent);
        bar.firstElementChild.style.width = job.percent + '%';
        bar.firstElementChild.textContent = job.percent + '%';
        Object.keys(job.counts).forEach(function (key) {
          var cell = document.querySelector('[data-count="' + key + '"]');
          if (cell) cell.textContent = job.counts[key];
        });
        if (job.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
