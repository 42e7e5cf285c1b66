// A form marked data-unsaved asks before the tab closes or reloads. The first keystroke marks it here, at once, rather
// than after a round trip to the server; the server's render clears the mark in the same update that says "Saved", so
// a reload right after that message never asks.
document.addEventListener("input", event => {
    const form = event.target instanceof Element ? event.target.closest("[data-unsaved]") : null;
    form?.setAttribute("data-unsaved", "true");
}, true);
window.addEventListener("beforeunload", event => {
    if (!document.querySelector('[data-unsaved="true"]')) return;
    event.preventDefault();
    event.returnValue = "";
});
