function drawGraph() {
  var container = document.getElementById('mynetwork');
  nodes = new vis.DataSet(pageData.nodes);
  edges = new vis.DataSet(pageData.edges);
  nodeColors = {};
  allNodes = nodes.get({returnType: 'Object'});
  for (var nodeId in allNodes) { nodeColors[nodeId] = allNodes[nodeId].color; }
  allEdges = edges.get({returnType: 'Object'});
  network = new vis.Network(container, {nodes: nodes, edges: edges}, pageData.options);
  network.on('click', neighbourhoodHighlight);
  network.once('afterDrawing', function () { document.body.setAttribute('data-drawn', 'yes'); });
  // Keep the whole network in view when the page's size settles or changes, until the
  // reader zooms or drags the view themselves.
  var viewChanged = false;
  network.on('zoom', function () { viewChanged = true; });
  network.on('dragEnd', function (params) { if (!params.nodes.length) { viewChanged = true; } });
  function refit() { if (!viewChanged) { network.fit(); network.redraw(); } }
  network.on('resize', refit);
  window.addEventListener('load', refit);
  window.handoverNetwork = {network: network, nodes: nodes, edges: edges};
  return network;
}
drawGraph();
