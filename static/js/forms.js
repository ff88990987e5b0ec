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
document.addEventListener("htmx:afterRequest", function (event) {
  const form = event.detail.elt;
  if (form.matches("form[data-autosave]") && event.detail.successful && form === unsaved
      && lastInput <= Number(form.dataset.autosaveSent)) {
    unsaved = null;
  }
});
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.elt.matches("form[data-autosave]") && [401, 403, 409, 422].includes(event.detail.xhr.status)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
