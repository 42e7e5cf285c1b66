using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Watches a browser context for script that should never run: every dialog, every write of the payloads'
/// marker <c>top.gbxss</c>, every content-security-policy violation (a payload reached the DOM as script and only the
/// policy stopped it: still a bug) and every uncaught page error. Events are reported to the test through a binding,
/// so nothing is lost when a page navigates away. <see cref="CheckAsync(IPage, string, int[])"/> also scans the page's DOM for markup that
/// could run script later (an <c>on…</c> attribute, a <c>javascript:</c> link, an injected frame or script).</summary>
sealed class ScriptWatch
{
    const string InitScript = """
        (() => {
          const report = (kind, detail) => { try { window.gbReport(kind + " " + detail); } catch { } };
          addEventListener("securitypolicyviolation", (e) =>
            report("csp", `${e.violatedDirective} blocked ${e.blockedURI || "inline"} "${e.sample}" at ${e.sourceFile}:${e.lineNumber}`), true);
          let marker;
          Object.defineProperty(window, "gbxss", { get: () => marker, set: (v) => { marker = v; report("marker", v); } });
        })();
        """;

    // What could run script without a payload's marker being set yet: handlers, script URLs, frames, foreign scripts.
    const string ActiveMarkupScan = """
        () => {
          const found = [];
          const scriptUrl = (v) => /^(javascript|vbscript|data):/i.test(v.replace(/[\u0000-\u0020]/g, ""));
          const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "codebase"];
          const all = [...document.querySelectorAll("*")];
          for (const e of all) {
            const tag = e.localName;
            const where = () => `<${tag}> ${e.outerHTML.slice(0, 160)}`;
            if (["iframe", "frame", "frameset", "object", "embed", "applet", "portal"].includes(tag)) found.push("element " + where());
            if (tag === "base" && e.getAttribute("href") !== "/") found.push("base " + where());
            if (tag === "meta" && e.hasAttribute("http-equiv") && e.getAttribute("http-equiv").toLowerCase() !== "content-security-policy") found.push("meta " + where());
            if (tag === "script" && (!e.src || new URL(e.src, location.href).origin !== location.origin)) found.push("script " + where());
            for (const a of e.attributes) {
              const name = a.name.toLowerCase();
              if (name.startsWith("on")) found.push(`attribute ${a.name} on ` + where());
              if (name === "srcdoc") found.push("srcdoc on " + where());
              if (name === "style" && /(expression\s*\(|javascript:|url\s*\()/i.test(a.value)) found.push("style on " + where());
              if (urlAttributes.includes(name) && scriptUrl(a.value) && !(tag === "link" && e.rel === "icon" && a.value === "data:,"))
                found.push(`${a.name} on ` + where());
            }
          }
          return found;
        }
        """;

    // Text a person can see, and the values of form fields (inputs show their value, not their text).
    const string ShownText = """
        () => [document.title, document.body ? document.body.innerText : "",
               ...[...document.querySelectorAll("input, textarea")].map((e) => e.value),
               ...[...document.querySelectorAll("option")].map((e) => e.textContent)].join("\n")
        """;

    readonly ConcurrentQueue<string> _events = new();
    readonly string _who;

    ScriptWatch(string who) => _who = who;

    int _pagesChecked;

    /// <summary>How many pages (or files) were checked, for the report.</summary>
    public int PagesChecked => _pagesChecked;

    public static async Task<ScriptWatch> AttachAsync(IBrowserContext context, string who)
    {
        var watch = new ScriptWatch(who);
        await context.ExposeBindingAsync("gbReport", (BindingSource source, string report) =>
            watch._events.Enqueue($"{report} (on {source.Page?.Url})"));
        await context.AddInitScriptAsync(InitScript);
        context.Page += (_, page) => watch.Watch(page);
        foreach (var page in context.Pages) watch.Watch(page);
        return watch;
    }

    void Watch(IPage page)
    {
        page.Dialog += async (_, dialog) =>
        {
            _events.Enqueue($"dialog {dialog.Type} \"{dialog.Message}\" (on {page.Url})");
            await dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                _events.Enqueue($"console {message.Type}: {message.Text} (on {page.Url})");
        };
        page.PageError += (_, error) => _events.Enqueue($"page error: {error} (on {page.Url})");
    }

    /// <summary>Waits for the page to settle (failed images fire their error handlers, the circuit renders), then
    /// requires: nothing ran, nothing active in the DOM, and each field's first payload shown as text.</summary>
    public Task CheckAsync(IPage page, string name, params int[] fieldsShown) => CheckAsync(page, name, LoadState.NetworkIdle, fieldsShown);

    /// <summary><see cref="CheckAsync(IPage, string, int[])"/> for a page that is whole once <paramref name="settled"/>
    /// (a server-rendered form is at <see cref="LoadState.Load"/>: its images have failed by then).</summary>
    public async Task CheckAsync(IPage page, string name, LoadState settled, params int[] fieldsShown)
    {
        await page.WaitForLoadStateAsync(settled);
        await page.WaitForTimeoutAsync(250);
        var active = await page.EvaluateAsync<string[]>(ActiveMarkupScan);
        var shown = await page.EvaluateAsync<string>(ShownText);
        var missing = fieldsShown.Where(f => !shown.Contains(GradeBench.Testing.Corpus.XssPayloads.Visible(f), StringComparison.Ordinal)).ToList();
        var events = _events.ToArray();
        var problems = events.Select(e => "ran or blocked: " + e)
            .Concat(active.Select(a => "active markup: " + a))
            .Concat(missing.Select(f => $"not shown as text: field F{f:D2}"))
            .ToList();
        Assert.True(problems.Count == 0, $"{_who}, {name}: {problems.Count} problems\n{string.Join("\n", problems.Take(40))}");
        Interlocked.Increment(ref _pagesChecked);
    }

}
