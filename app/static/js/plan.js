// The SKP plan editor. Progressive enhancement only: show the target inputs that match
// the chosen type.
(function () {
  'use strict';
  document.querySelectorAll('#plan-form [name$="-target_kind"]').forEach(function (select) {
    var box = select.closest('.row');
    function sync() {
      var numeric = select.value === 'number';
      box.querySelectorAll('.target-number').forEach(function (el) { el.hidden = !numeric; });
      box.querySelectorAll('.target-text').forEach(function (el) { el.hidden = numeric; });
    }
    select.addEventListener('change', sync);
    sync();
  });
})();
