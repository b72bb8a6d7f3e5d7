// The supervisor's review. Progressive enhancement: preview the predikat while choosing;
// the server decides on save. The labels come from <script type="application/json"
// id="predikat-labels">, the matrix from the output element's data-matrix.
(function () {
  'use strict';
  var out = document.getElementById('predikat');
  var hk = document.getElementById('rating_hk'), pk = document.getElementById('rating_pk');
  var labelData = document.getElementById('predikat-labels');
  if (!out || !hk || !pk || !labelData) return;
  var matrix = JSON.parse(out.dataset.matrix), labels = JSON.parse(labelData.textContent);
  function show() {
    var key = matrix[hk.value + '|' + pk.value];
    if (key) { out.textContent = labels[key]; out.dataset.predikat = key; }
  }
  hk.addEventListener('change', show); pk.addEventListener('change', show);
})();
