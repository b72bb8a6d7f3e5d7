// Unsaved work is never lost quietly.
// - A form marked data-unsaved-warning (with the fields tied to it by form="…") makes
//   leaving the page ask first once one of its fields changed, unless a form is being sent.
// - A form marked data-carry="ID" sends, beside its own fields, what is typed in form ID's
//   fields (hidden copies), so the server saves it with the upload, link or removal.
(function () {
  'use strict';
  var watched = document.querySelectorAll('form[data-unsaved-warning]');
  var changed = false;
  var sending = false;
  watched.forEach(function (form) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.type === 'hidden' || field.type === 'submit') { return; }
      ['input', 'change'].forEach(function (kind) {
        field.addEventListener(kind, function () { changed = true; });
      });
    });
  });
  document.querySelectorAll('form[data-carry]').forEach(function (form) {
    form.addEventListener('submit', function () {
      var source = document.getElementById(form.dataset.carry);
      if (!source) { return; }
      form.querySelectorAll('input[data-carried]').forEach(function (old) { old.remove(); });
      Array.prototype.forEach.call(source.elements, function (field) {
        if (!field.name || field.type === 'hidden' || field.type === 'submit') { return; }
        if (form.elements.namedItem(field.name)) { return; }
        var copy = document.createElement('input');
        copy.type = 'hidden';
        copy.name = field.name;
        copy.value = field.value;
        copy.setAttribute('data-carried', '');
        form.appendChild(copy);
      });
    });
  });
  document.addEventListener('submit', function () { sending = true; });
  window.addEventListener('pageshow', function () { sending = false; });
  window.addEventListener('beforeunload', function (event) {
    if (!changed || sending) { return; }
    event.preventDefault();
    event.returnValue = '';
  });
})();
