// A text box marked data-filter-options="<select id>" narrows that list as one types:
// options (and whole groups) whose text or group does not contain every typed word are hidden.
(function () {
  'use strict';
  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }
  document.querySelectorAll('input[data-filter-options]').forEach(function (input) {
    var select = document.getElementById(input.dataset.filterOptions);
    if (!select) { return; }
    input.addEventListener('input', function () {
      var wanted = words(input.value);
      select.querySelectorAll('option').forEach(function (option) {
        var group = option.parentElement.tagName === 'OPTGROUP' ? option.parentElement.label : '';
        var text = (option.text + ' ' + group).toLowerCase();
        var keep = option.selected || !option.value || option.value === '0' ||
          wanted.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !keep;
      });
      select.querySelectorAll('optgroup').forEach(function (group) {
        group.hidden = !group.querySelector('option:not([hidden])');
      });
    });
  });
})();
