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
