// The supervisor's review. Progressive enhancement: preview the predikat while choosing,
// and the pola distribusi of the team and the unit with it; the server decides on save.
// The labels come from <script type="application/json" id="predikat-labels">, the matrix
// from the output element's data-matrix, the panels (counts without this SKP, and the
// rules of the organisation predikat) from <script type="application/json"
// id="distribution-data">; the rules' texts are on the page already.
(function () {
  'use strict';
  var out = document.getElementById('predikat');
  var hk = document.getElementById('rating_hk'), pk = document.getElementById('rating_pk');
  var labelData = document.getElementById('predikat-labels');
  if (!out || !hk || !pk || !labelData) return;
  var matrix = JSON.parse(out.dataset.matrix), labels = JSON.parse(labelData.textContent);
  var panelData = document.getElementById('distribution-data');
  var panels = panelData ? JSON.parse(panelData.textContent) : [];
  var warning = document.getElementById('distribution-warning');
  var brokenList = document.getElementById('distribution-broken');

  // The same arithmetic as app.skp.scoring._holds: whole numbers, no rounding.
  function holds(rule, count, total) {
    if (rule.kind === 'at_most') return count * 100 <= rule.percent * total;
    if (rule.kind === 'at_least') return count * 100 >= rule.percent * total;
    if (rule.kind === 'at_least_one') return count >= 1;
    return count === 0;
  }

  function checkPanel(panel, chosen) {
    var section = document.querySelector('[data-panel="' + panel.key + '"]');
    if (!section) return [];
    var counts = {}, total = 0, broken = [];
    Object.keys(panel.counts).forEach(function (key) { counts[key] = panel.counts[key]; });
    if (chosen && counts.hasOwnProperty(chosen)) counts[chosen] += 1;
    Object.keys(counts).forEach(function (key) { total += counts[key]; });
    panel.rules.forEach(function (rule, index) {
      var item = section.querySelector('[data-rule="' + index + '"]');
      if (!item) return;
      var count = rule.group.reduce(function (sum, key) { return sum + (counts[key] || 0); }, 0);
      var ok = holds(rule, count, total);
      item.dataset.ruleHolds = ok ? 'yes' : 'no';
      item.querySelector('[data-mark="yes"]').classList.toggle('d-none', !ok);
      item.querySelector('[data-mark="no"]').classList.toggle('d-none', ok);
      var status = item.querySelector('[data-status]');
      status.textContent = (ok ? status.dataset.yes : status.dataset.no) + ':';
      var share = total ? Math.round(count * 1000 / total) / 10 : 0;
      item.querySelector('[data-share]').textContent = share.toLocaleString(document.documentElement.lang || 'id');
      if (!ok) {
        broken.push(section.querySelector('[data-panel-title]').textContent + ': ' +
                    item.querySelector('[data-rule-text]').textContent.trim());
      }
    });
    return broken;
  }

  function show() {
    var key = matrix[hk.value + '|' + pk.value];
    if (key) { out.textContent = labels[key]; out.dataset.predikat = key; }
    if (!warning || !brokenList) return;
    var broken = [];
    panels.forEach(function (panel) { broken = broken.concat(checkPanel(panel, key)); });
    brokenList.textContent = '';
    broken.forEach(function (text) {
      var li = document.createElement('li');
      li.textContent = text;
      brokenList.appendChild(li);
    });
    warning.classList.toggle('d-none', broken.length === 0);
  }
  hk.addEventListener('change', show); pk.addEventListener('change', show);
})();
