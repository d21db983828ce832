var edges, nodes, allNodes, allEdges, nodeColors, network, filter = {item: '', property: '', value: []};
var highlightActive = false, filterActive = false;
var pageData = JSON.parse(document.getElementById('network-data').textContent);
// The page's words (its language): names of the properties and of the codes a filter offers.
var pageWords = pageData.words;
function propertyTitle(property) { return pageWords.properties[property] || property; }
function valueTitle(property, value) { return (pageWords.values[property] || {})[value] || value; }
function noResults(data, escape) { return '<div class="no-results">' + escape(pageWords.noResults) + '</div>'; }
var valueControl = new TomSelect('#select-value', {maxItems: null, valueField: 'id', labelField: 'title',
  searchField: 'title', create: false, sortField: {field: 'text', direction: 'asc'}, render: {no_results: noResults},
  onItemAdd: function (value) { filter.value.push(value); }});
var propControl = new TomSelect('#select-property', {valueField: 'id', labelField: 'title', searchField: 'title',
  create: false, sortField: {field: 'text', direction: 'asc'}, render: {no_results: noResults},
  onItemAdd: function (property) {
    valueControl.clear(); valueControl.clearOptions(); filter.value = [];
    var items = filter.item === 'node' ? allNodes : allEdges;
    for (var each in items) {
      var v = items[each][property];
      if (v !== undefined && v !== null) { valueControl.addOption({id: String(v), title: valueTitle(property, String(v))}); }
    }
  }});
var itemControl = new TomSelect('#select-item', {create: false, sortField: {field: 'text', direction: 'asc'},
  render: {no_results: noResults},
  onItemAdd: function (item) {
    clearFilter(false);
    filter.item = item;
    (pageData.filterable[item] || []).forEach(function (p) { propControl.addOption({id: p, title: propertyTitle(p)}); });
  }});
function clearFilter(reset) {
  propControl.clear(); propControl.clearOptions(); valueControl.clear(); valueControl.clearOptions();
  filter = {item: '', property: '', value: []};
  if (reset) { itemControl.clear(); filterHighlight({nodes: []}); }
}
function updateFilter(value, key) { filter[key] = value; }
