// The memo preview: after each change to the workspace (from a form or an editor), the
// memo as the workbench makes it now takes the place of the one shown, without a reload
// (the page keeps its place and its connection to the workbench's events).
(function () {
  "use strict";
  const me = document.currentScript;
  const since = me ? me.dataset.version : "";
  const events = new EventSource("/events?since=" + encodeURIComponent(since || ""));
  let asked = 0;
  events.addEventListener("change", function () {
    const mine = ++asked;
    fetch(location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.text(); })
      .then(function (text) {
        if (mine !== asked) return; // a later change's memo is on its way
        // parsed, not run: scripts of a parsed document never execute
        const next = new DOMParser().parseFromString(text, "text/html");
        const style = next.querySelector("head style");
        const shown = document.querySelector("head style");
        if (style && shown && style.textContent !== shown.textContent) {
          shown.textContent = style.textContent;
        }
        document.title = next.title;
        document.documentElement.lang = next.documentElement.lang;
        document.body.replaceChildren.apply(document.body, Array.from(next.body.childNodes));
      });
  });
})();
