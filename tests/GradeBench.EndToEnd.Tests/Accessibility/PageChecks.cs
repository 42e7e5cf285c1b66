using Microsoft.Playwright;

namespace GradeBench.EndToEnd.Tests.Accessibility;

/// <summary>Checks axe-core does not make: heading order, links in running text, and a focus indicator one can see.</summary>
static class PageChecks
{
    /// <summary>What the accessibility sweep asks of every page, on the page as it is now: no serious or critical axe
    /// violation (every violation is logged), one main landmark, headings in order, links underlined, a skip link first
    /// that moves focus into main, and a visible focus indicator. Returns the problems, each starting with
    /// <paramref name="name"/>.</summary>
    public static async Task<IReadOnlyList<string>> AllAsync(IPage page, string name, Action<string> log)
    {
        var problems = new List<string>();
        foreach (var violation in await AxeAudit.AuditAsync(page, "minor", "moderate", "serious", "critical"))
        {
            log($"{name}: {violation}");
            if (violation.StartsWith("serious", StringComparison.Ordinal) || violation.StartsWith("critical", StringComparison.Ordinal))
                problems.Add($"{name}: {violation}");
        }
        var mains = await page.GetByRole(AriaRole.Main).CountAsync();
        if (mains != 1) problems.Add($"{name}: {mains} main landmarks");
        foreach (var problem in await page.EvaluateAsync<string[]>(HeadingsAndLinks))
            problems.Add($"{name}: {problem}");
        if (await SkipLinkProblemAsync(page) is { } skip) problems.Add($"{name}: {skip}");
        foreach (var problem in await FocusIndicatorsAsync(page))
            problems.Add($"{name}: {problem}");
        foreach (var problem in problems) log($"PROBLEM {problem}");
        return problems;
    }

    /// <summary>From the top of the page, Tab reaches the skip link first, and following it puts focus in main.</summary>
    static async Task<string?> SkipLinkProblemAsync(IPage page)
    {
        await page.EvaluateAsync(FromTheTop);
        await page.Keyboard.PressAsync("Tab");
        var first = await page.EvaluateAsync<string>("() => { const e = document.activeElement; return e ? `${e.tagName.toLowerCase()} \"${e.textContent.trim()}\" ${e.getAttribute('href') ?? ''}` : 'nothing'; }");
        if (!first.StartsWith("a \"Skip to main content\"", StringComparison.Ordinal)) return $"the first Tab reaches {first}, not a skip link";
        await page.Keyboard.PressAsync("Enter");
        try
        {
            await page.WaitForFunctionAsync("() => !!document.activeElement?.closest('main')", null, new() { Timeout = 3_000 });
            return null;
        }
        catch (TimeoutException)
        {
            return "the skip link does not move focus into main";
        }
    }

    /// <summary>Headings start at h1 and never skip a level; a link inside running text is underlined.</summary>
    public const string HeadingsAndLinks = """
        () => {
          const problems = [];
          const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]")]
            .map(h => ({ level: Number(h.getAttribute("aria-level") ?? h.tagName[1]), text: h.textContent.trim().slice(0, 40) }));
          let previous = 0;
          for (const h of headings) {
            if (previous === 0 && h.level !== 1) problems.push(`the first heading is h${h.level} "${h.text}", not h1`);
            else if (h.level > previous + 1 && previous !== 0) problems.push(`h${h.level} "${h.text}" follows h${previous}`);
            previous = h.level;
          }
          for (const a of document.querySelectorAll("main a[href]")) {
            const block = a.parentElement.closest("p, li, dd, td, div, section, blockquote");
            const around = block ? block.textContent.replace(a.textContent, "").trim() : "";
            const inText = block && block.matches("p, li, dd, blockquote") && around.length > 0;
            if (inText && !getComputedStyle(a).textDecorationLine.includes("underline"))
              problems.push(`the link "${a.textContent.trim().slice(0, 40)}" in running text is not underlined`);
          }
          return problems;
        }
        """;

    // The element whose look shows focus: a visually hidden input shows it on its label or wrapper.
    const string Indicator = """
        e => {
          let shown = e;
          while (shown.parentElement && (shown.offsetWidth < 4 || shown.offsetHeight < 4 || getComputedStyle(shown).opacity === "0"))
            shown = shown.parentElement;
          return shown;
        }
        """;

    const string Look = "e => { const s = getComputedStyle(e); return { outline: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth), outlineColor: s.outlineColor, shadow: s.boxShadow }; }";

    /// <summary>Puts the keyboard's starting point at the top of the document, as a freshly loaded page has it (blur
    /// alone leaves it where focus was).</summary>
    public const string FromTheTop = """
        () => {
          document.activeElement?.blur();
          window.scrollTo(0, 0);
          const start = document.createElement("span");
          start.tabIndex = -1;
          document.documentElement.prepend(start);
          start.focus();
          start.remove();
        }
        """;

    /// <summary>Tabs through the page (at most 30 stops) and names each control whose focus shows no outline of at
    /// least 2 px and no new box shadow, compared with the same element unfocused.</summary>
    public static async Task<IReadOnlyList<string>> FocusIndicatorsAsync(IPage page)
    {
        await page.Mouse.MoveAsync(0, 0);
        await page.EvaluateAsync($$"""
            () => {
              const indicator = {{Indicator}};
              const look = {{Look}};
              window.__unfocused = new Map();
              for (const e of document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")) {
                const shown = indicator(e);
                window.__unfocused.set(shown, look(shown));
              }
            }
            """);
        await page.EvaluateAsync(FromTheTop);
        var problems = new List<string>();
        string? first = null;
        for (var stop = 0; stop < 30; stop++)
        {
            await page.Keyboard.PressAsync("Tab");
            var found = await page.EvaluateAsync<string[]>($$"""
                () => {
                  const e = document.activeElement;
                  if (!e || e === document.body) return ["", ""];
                  const name = `${e.tagName.toLowerCase()}${e.type ? "[" + e.type + "]" : ""} "${(e.getAttribute("aria-label") ?? e.labels?.[0]?.textContent ?? e.textContent).trim().slice(0, 40)}"`;
                  const shown = ({{Indicator}})(e);
                  const now = ({{Look}})(shown);
                  const before = window.__unfocused.get(shown) ?? { outline: 0, shadow: "none" };
                  const outline = now.outline >= 2 && !now.outlineColor.endsWith(", 0)") && now.outlineColor !== "transparent";
                  const shadow = now.shadow !== "none" && now.shadow !== before.shadow;
                  return [name, outline || shadow ? "" : `${name} shows no visible focus (outline ${now.outline}px, shadow ${now.shadow})`];
                }
                """);
            // Focus left the page, or came round to the first control again.
            if (found[0] == "" || found[0] == first) break;
            first ??= found[0];
            if (found[1] != "") problems.Add(found[1]);
        }
        return problems.Distinct().ToList();
    }
}
