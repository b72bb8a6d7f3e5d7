// Small behaviours of every page, kept out of the HTML so the CSP can refuse inline script.
(function () {
  'use strict';
  // A select marked data-autosubmit (the language menu) sends its form when changed.
  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () { select.form.submit(); });
  });
  // Progress bars carry their width in data-width (a percentage); the CSP refuses style="".
  document.querySelectorAll('[data-width]').forEach(function (bar) {
    bar.style.width = parseFloat(bar.dataset.width) + '%';
  });
  // The document's print button.
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });
})();
