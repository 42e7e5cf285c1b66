// Every <time data-local> (LocalTime.razor) shows its moment in the page's language and the reader's own time zone,
// with the zone named, instead of the UTC the server wrote. Blazor writes a time's text again only when the moment
// changes (its diff is against its own last render, not the page), so each new or changed element is formatted once.
(() => {
  const formats = {};
  const format = (kind) => formats[kind] ??= new Intl.DateTimeFormat(document.documentElement.lang || undefined, kind === "date"
    ? { year: "numeric", month: "short", day: "numeric" }
    : { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" });
  const show = (element) => {
    const at = new Date(element.getAttribute("datetime"));
    if (Number.isNaN(at.getTime())) return;
    const text = format(element.dataset.local).format(at);
    if (element.textContent !== text) element.textContent = text;
  };
  const showAll = (root) => root.querySelectorAll?.("time[data-local]").forEach(show);
  new MutationObserver((changes) => {
    for (const change of changes) {
      const target = change.target instanceof Element ? change.target : change.target.parentElement;
      if (target?.matches("time[data-local]")) show(target);
      else change.addedNodes.forEach((node) => node instanceof Element && (node.matches("time[data-local]") ? show(node) : showAll(node)));
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["datetime"] });
  document.addEventListener("DOMContentLoaded", () => showAll(document));
})();
