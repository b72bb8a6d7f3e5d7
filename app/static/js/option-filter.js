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

// A text box marked data-filter-checks="<list id>" narrows a list of checkboxes the same
// way; ticked ones stay visible so that a choice never disappears from view.
(function () {
  'use strict';
  document.querySelectorAll('input[data-filter-checks]').forEach(function (input) {
    var list = document.getElementById(input.dataset.filterChecks);
    if (!list) { return; }
    input.addEventListener('input', function () {
      var wanted = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.querySelectorAll('.form-check').forEach(function (item) {
        var box = item.querySelector('input');
        var text = item.textContent.toLowerCase();
        item.hidden = !(box.checked || wanted.every(function (word) { return text.indexOf(word) !== -1; }));
      });
    });
  });
})();
