(function () {
  var months = pageData.months, steps = pageData.steps, current = -1, timer = null;
  var slider = document.getElementById('month'), label = document.getElementById('month-label');
  var playButton = document.getElementById('play'), speed = document.getElementById('speed');
  var bars = Array.prototype.slice.call(document.querySelectorAll('.per-month rect.bar'));
  var base = {};
  // A count as the page's language writes it: 1,234 or 1 234.
  function grouped(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, pageData.words.thousands); }
  pageData.nodes.forEach(function (n) { base[n.id] = n; });
  function show(i) {
    if (!months.length) { return; }
    i = Math.max(0, Math.min(months.length - 1, i));
    var step = steps[i], seen = {}, nodeUpdates = [], edgeUpdates = [], active = 0, total = 0;
    step.n.forEach(function (m) {
      var node = pageData.nodes[m[0]];
      seen[node.id] = true; active += 1;
      nodeUpdates.push({id: node.id, size: m[2], title: m[3], color: base[node.id].color,
                        font: {color: '#1b1f24'}, users_served: m[1]});
    });
    pageData.nodes.forEach(function (node) {
      if (!seen[node.id]) {
        nodeUpdates.push({id: node.id, size: 7, color: pageData.faded, font: {color: '#9aa3ad'}, users_served: 0,
                          title: node.label + '\n' + pageData.words.noUsers});
      }
    });
    var shown = {};
    step.e.forEach(function (m) {
      shown[m[0]] = true; total += m[1];
      var update = {id: m[0], hidden: false, width: m[2], title: m[3], count: m[1]};
      if (pageData.labelled) { update.label = String(m[1]); }
      edgeUpdates.push(update);
    });
    pageData.edges.forEach(function (e) { if (!shown[e.id]) { edgeUpdates.push({id: e.id, hidden: true, count: 0}); } });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    pageData.nodes.forEach(function (node) { nodeColors[node.id] = seen[node.id] ? base[node.id].color : pageData.faded; });
    allNodes = nodes.get({returnType: 'Object'});
    allEdges = edges.get({returnType: 'Object'});
    current = i;
    slider.value = String(i);
    label.textContent = months[i];
    document.getElementById('n-nodes').textContent = grouped(active);
    document.getElementById('n-edges').textContent = grouped(step.e.length);
    document.getElementById('n-total').textContent = grouped(total);
    bars.forEach(function (bar, j) { bar.classList.toggle('current', j === i); });
    document.body.setAttribute('data-month', months[i]);
    document.body.setAttribute('data-visible-edges', String(step.e.length));
    // The month in the address makes a link to it; a page shown in a sandboxed frame has no address.
    try { if (location.hash !== '#' + months[i]) { history.replaceState(null, '', '#' + months[i]); } } catch (e) {}
  }
  function pause() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    playButton.textContent = pageData.words.play; playButton.setAttribute('aria-label', pageData.words.playLabel);
  }
  function play() {
    if (timer !== null) { return; }
    if (current >= months.length - 1) { show(0); }
    playButton.textContent = pageData.words.pause; playButton.setAttribute('aria-label', pageData.words.pauseLabel);
    timer = setInterval(function () {
      if (current >= months.length - 1) { pause(); } else { show(current + 1); }
    }, Number(speed.value));
  }
  slider.addEventListener('input', function () { pause(); show(Number(slider.value)); });
  document.getElementById('prev').addEventListener('click', function () { pause(); show(current - 1); });
  document.getElementById('next').addEventListener('click', function () { pause(); show(current + 1); });
  playButton.addEventListener('click', function () { if (timer === null) { play(); } else { pause(); } });
  speed.addEventListener('change', function () { if (timer !== null) { pause(); play(); } });
  bars.forEach(function (bar, j) { bar.addEventListener('click', function () { pause(); show(j); }); });
  document.addEventListener('keydown', function (event) {
    if (event.target && /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName) && event.target !== slider) { return; }
    if (event.key === 'ArrowLeft') { pause(); show(current - 1); event.preventDefault(); }
    if (event.key === 'ArrowRight') { pause(); show(current + 1); event.preventDefault(); }
    if (event.key === ' ' && event.target === document.body) { timer === null ? play() : pause(); event.preventDefault(); }
  });
  var start = months.indexOf(decodeURIComponent(location.hash.slice(1)));
  if (start < 0) { start = 0; while (start < months.length - 1 && !steps[start].e.length) { start += 1; } }
  if (start >= months.length - 1 && !(steps[start] || {e: []}).e.length) { start = 0; }
  show(start);
  window.handoverTimeline = {show: show, play: play, pause: pause, months: months,
                             current: function () { return current; }};
})();
