// Refreshes a stop order's coverage board from its JSON every two seconds.
(function () {
  const board = document.getElementById('board');
  if (!board) {
    return;
  }
  const url = board.dataset.board;
  const text = (id, value) => {
    const el = document.getElementById(id);
    if (el) {
      el.textContent = value === null || value === undefined ? '-' : String(value);
    }
  };
  async function refresh() {
    try {
      const response = await fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
      if (!response.ok) {
        return;
      }
      const b = await response.json();
      Object.entries(b.counts || {}).forEach(([state, n]) => text('count-' + state, n));
      const d = b.millisToHalt || {};
      text('halt-p50', d.p50);
      text('halt-p99', d.p99);
      text('halt-max', d.max);
      (b.copies || []).forEach(c => {
        const row = document.querySelector('tr.copy-row[data-deployment="' + c.deploymentId + '"]');
        if (row) {
          row.querySelector('.state').textContent = c.state;
          row.querySelector('.halted').textContent = c.haltedAt || '';
          row.querySelector('.how').textContent = c.how || '';
          row.querySelector('.received').textContent = c.receivedAt || '';
        }
      });
    } catch (e) {
      // the next refresh tries again
    }
  }
  setInterval(refresh, 2000);
}());
