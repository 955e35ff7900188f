// The workbench's pages: live reload, the source reader's claim form, the draft queue.
// Every text the store holds reaches the page as text (textContent, never innerHTML).
(function () {
  "use strict";
  const token = document.querySelector('meta[name="briefgen-token"]').content;
  const version = document.querySelector('meta[name="briefgen-version"]').content;
  let dirty = false;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-briefgen-token": token },
      body: JSON.stringify(body || {}),
    }).then(function (answer) {
      return answer.json().then(function (data) {
        data.status = answer.status;
        return data;
      });
    });
  }

  function fields(form) {
    const out = {};
    new FormData(form).forEach(function (value, key) {
      out[key] = value;
    });
    return out;
  }

  function showProblems(form, problems) {
    const list = form.querySelector(".form-problems");
    list.replaceChildren();
    problems.forEach(function (text) {
      const item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
  }

  // live reload: the page is made again unless a form is being filled in
  const events = new EventSource("/events?since=" + encodeURIComponent(version));
  let leaving = false;
  function leave(url) {
    // after a write, the page it leads to: no reload for the change it made may overtake it
    leaving = true;
    events.close();
    if (url) location.href = url;
    else location.reload();
  }
  events.addEventListener("change", function () {
    if (leaving) return;
    if (dirty) {
      document.getElementById("changed").hidden = false;
    } else {
      events.close();
      location.reload();
    }
  });
  document.addEventListener("input", function () {
    dirty = true;
  });

  // the source reader: a selected passage opens the claim form, quote and locator filled in
  const reader = document.querySelector(".reader");
  const form = document.getElementById("claim-form");
  // a quote starts and ends where words do (check's rule), but in scripts written
  // without spaces, where any character will do
  const letter = /[\p{L}\p{N}\p{M}]/u;
  const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
  function inWord(text, i) {
    return letter.test(text[i] || "") && !unspaced.test(text[i] || "");
  }
  function selected() {
    const selection = window.getSelection();
    if (!selection || !selection.rangeCount || !reader.contains(selection.anchorNode)) return;
    const range = selection.getRangeAt(0);
    const para = selection.anchorNode.parentElement.closest(".para");
    const body = para ? para.querySelector(".body") : null;
    const whole = body ? body.textContent : "";
    let quote = selection.toString();
    let at = -1;
    let end = -1;
    if (body && range.startContainer === body.firstChild && range.endContainer === body.firstChild) {
      at = range.startOffset;
      end = range.endOffset;
      while (at > 0 && inWord(whole, at - 1) && inWord(whole, at)) at--;
      while (end < whole.length && inWord(whole, end) && inWord(whole, end - 1)) end++;
      quote = whole.slice(at, end);
    }
    quote = quote.replace(/\s+/g, " ").trim();
    if (!quote) return;
    const prefix = at >= 0 ? whole.slice(Math.max(0, at - 32), at) : "";
    const suffix = end >= 0 ? whole.slice(end, end + 32) : "";
    form.hidden = false;
    dirty = true;
    form.elements.quote.value = quote;
    form.elements.locator.value = para ? "para. " + para.dataset.para : "";
    const query = new URLSearchParams({ source: reader.dataset.source, quote: quote, prefix: prefix, suffix: suffix });
    fetch("/api/locate?" + query.toString())
      .then(function (answer) { return answer.json(); })
      .then(function (data) {
        if (data.locator) form.elements.locator.value = data.locator;
      });
  }
  if (reader && form) {
    reader.addEventListener("mouseup", selected);
    reader.addEventListener("keyup", selected);
    form.querySelector(".cancel").addEventListener("click", function () {
      form.hidden = true;
      dirty = false;
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      post("/api/claims", fields(form)).then(function (data) {
        if (data.ok) {
          leave("/claim/" + encodeURIComponent(data.id));
        } else {
          showProblems(form, data.problems || ["the claim was not saved"]);
        }
      });
    });
  }

  // the draft queue: accept (as edited) or discard
  document.querySelectorAll("form.draft").forEach(function (draft) {
    const ident = draft.dataset.id;
    draft.addEventListener("submit", function (event) {
      event.preventDefault();
      post("/api/drafts/" + encodeURIComponent(ident) + "/accept", fields(draft)).then(function (data) {
        if (data.ok) {
          leave();
        } else {
          showProblems(draft, data.problems || ["the draft was not accepted"]);
        }
      });
    });
    draft.querySelector(".keep").addEventListener("click", function () {
      post("/api/drafts/" + encodeURIComponent(ident) + "/save", fields(draft)).then(function (data) {
        if (data.ok) {
          leave();
        } else {
          showProblems(draft, data.problems || ["the draft was not saved"]);
        }
      });
    });
    draft.querySelector(".discard").addEventListener("click", function () {
      post("/api/drafts/" + encodeURIComponent(ident) + "/discard").then(function (data) {
        if (data.ok) {
          leave();
        } else {
          showProblems(draft, data.problems || ["the draft was not discarded"]);
        }
      });
    });
  });
})();
