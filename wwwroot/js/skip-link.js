// The skip link moves focus into main. Followed as a plain link, "#main" would resolve against <base href="/"> and
// leave the page, and Blazor's router would only scroll; so it is handled here, before either sees the click.
document.addEventListener("click", event => {
    const link = event.target instanceof Element ? event.target.closest("a.skip-link") : null;
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const main = document.getElementById("main");
    main?.focus();
    main?.scrollIntoView();
}, true);
