// A link clicked while Blazor starts its circuit (after the handshake, before the interactive router's first render)
// changed the address but not the page (dotnet/aspnetcore#49142; docs/reliability.md, "Early clicks"). Until the router
// says it follows links (RouterReady.razor), a click on a link of this app is an ordinary page load instead.
(() => {
  let routerReady = false;
  window.gradeBenchRouterReady = () => { routerReady = true; };
  window.addEventListener("click", (event) => {
    if (routerReady || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.getAttribute("href").startsWith("#") || link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
    const url = new URL(link.href, document.baseURI);
    if (url.origin !== location.origin) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    location.assign(url.href);
  }, true);
})();
