// The language switch (LanguageSwitch.razor; its button, not a change of the select, which arrow keys would fire) loads the page again in the new language: a Blazor circuit keeps the
// culture it started with. What the user typed on the page and has not saved yet is carried across in this tab's
// sessionStorage and put back, as if typed, once the page can take input again (docs/localization.md).
(() => {
  const key = "gradebench.language-carry";
  const here = () => location.pathname + location.search;
  const carried = (field) => field.id && !field.disabled && !field.hasAttribute("data-no-carry")
    && !["password", "hidden", "file", "submit", "button", "reset", "image"].includes(field.type);

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-language-switch")) return;
    form.elements.namedItem("returnUrl").value = here() + location.hash;
    const values = {};
    for (const field of document.querySelectorAll("main input, main textarea, main select")) {
      if (carried(field)) values[field.id] = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
    }
    sessionStorage.setItem(key, JSON.stringify({ path: here(), at: Date.now(), values }));
  }, true);

  const restore = (last) => {
    const saved = JSON.parse(sessionStorage.getItem(key) ?? "null");
    if (!saved || saved.path !== here() || Date.now() - saved.at > 60000) return sessionStorage.removeItem(key);
    for (const [id, value] of Object.entries(saved.values)) {
      const field = document.getElementById(id);
      if (!field) continue;
      const isChoice = typeof value === "boolean";
      if ((isChoice ? field.checked : field.value) === value) continue;
      if (isChoice) field.checked = value; else field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (last) sessionStorage.removeItem(key);
  };

  // A server-rendered form takes input at once; an interactive page only once its first interactive render is done
  // (RouterReady.razor), which replaces the prerendered fields.
  const interactive = () => document.body.dataset.interactive === "true";
  document.addEventListener("DOMContentLoaded", () => restore(!interactive()));
  const routerReady = window.gradeBenchRouterReady;
  window.gradeBenchRouterReady = () => {
    routerReady?.();
    setTimeout(() => restore(true));
  };
})();
