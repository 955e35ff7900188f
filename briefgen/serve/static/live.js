// The memo preview: load the page again when the workbench has checked the workspace
// again after a change (from a form or an editor).
(function () {
  const me = document.currentScript;
  const since = me ? me.dataset.version : "";
  const events = new EventSource("/events?since=" + encodeURIComponent(since || ""));
  events.addEventListener("change", function () {
    events.close();
    location.reload();
  });
})();
