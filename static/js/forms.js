// Inline validation (htmx) checks a field when the person leaves it, and swaps in the field as checked. On a slow
// line they may be back in the field, typing on, before the answer arrives: that answer is about a value they no
// longer have, so it is dropped rather than swapped over what they typed (leaving the field again checks anew).
document.addEventListener("htmx:beforeSwap", function (event) {
  const request = event.detail.requestConfig;
  const field = request.elt;
  if (!field.matches("input[hx-post], textarea[hx-post]")) {
    return;
  }
  if (request.parameters[field.name] !== field.value) {
    event.detail.shouldSwap = false;
  }
});

// A check that may show or hide another part of the form (hx-select-oob: the guardian's fields at registration) answers
// for the values it was sent with. Answers can arrive out of order: if a field that decides that part has changed
// since, a newer check is on its way, and this answer is dropped (the birth year's answer, sent before the month was
// chosen, hid the guardian's fields the month's answer had just shown).
document.addEventListener("htmx:beforeSwap", function (event) {
  const request = event.detail.requestConfig;
  const form = request.elt.form;
  if (!form || !request.elt.matches("[hx-select-oob]")) {
    return;
  }
  const deciding = Array.from(form.querySelectorAll("[hx-select-oob]"));
  if (deciding.some((field) => request.parameters[field.name] !== field.value)) {
    event.detail.shouldSwap = false;
  }
});

// That part is swapped only when it appears or goes: while it stays, what the person typed in it stays too (an answer
// sent before the guardian's address was typed would otherwise empty it).
document.addEventListener("htmx:oobBeforeSwap", function (event) {
  const shown = (part) => part.querySelector("input, select, textarea") !== null;
  if (shown(event.detail.target) === shown(event.detail.fragment)) {
    event.detail.shouldSwap = false;
  }
});

// A form marked data-unsaved-warning asks before its typed changes are lost by leaving the page any other way
// than sending it (another form on the page, a link, closing the tab): the browser's own "Leave page?" question.
let unsaved = null;
document.addEventListener("input", function (event) {
  const form = event.target.form;
  if (form && form.matches("[data-unsaved-warning]")) {
    unsaved = form;
  }
});
document.addEventListener("submit", function (event) {
  if (event.target === unsaved) {
    unsaved = null;
  }
});
window.addEventListener("beforeunload", function (event) {
  if (unsaved) {
    event.preventDefault();
    event.returnValue = "";
  }
});

// The answers of a draft (a form marked data-autosave) are saved by htmx as the person answers. Once a save succeeds
// with nothing typed since it was sent, leaving the page loses nothing, so the browser need not ask. When a save is
// refused (an answer needs a change, the person was signed out...), the answer's line of text says why, in the
// form's status line.
let lastInput = 0;
document.addEventListener("input", function () {
  lastInput = Date.now();
});
document.addEventListener("htmx:beforeRequest", function (event) {
  if (event.detail.elt.matches("form[data-autosave]")) {
    event.detail.elt.dataset.autosaveSent = String(Date.now());
  }
});
// htmx 2 reports the status line (the swap's target) as the event's elt: the form is the request's elt.
const REFUSALS = [401, 403, 409, 422];
document.addEventListener("htmx:afterRequest", function (event) {
  const form = event.detail.requestConfig.elt;
  if (!form.matches("form[data-autosave]")) {
    return;
  }
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  const saved = status >= 200 && status < 300;  // a refusal is shown as if successful, yet saved nothing
  if (saved && form === unsaved && lastInput <= Number(form.dataset.autosaveSent)) {
    unsaved = null;
  }
  if (!saved && !REFUSALS.includes(status)) {
    // No sentence from the server (it failed, or could not be reached): no stale "Draft saved" line either.
    document.getElementById("autosave-status").textContent = form.dataset.autosaveFailed;
  }
});
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.requestConfig.elt.matches("form[data-autosave]") && REFUSALS.includes(event.detail.xhr.status)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
