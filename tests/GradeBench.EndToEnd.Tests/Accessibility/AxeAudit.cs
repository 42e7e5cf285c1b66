using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace GradeBench.EndToEnd.Tests.Accessibility;

/// <summary>Runs axe-core on every page a browser context shows: after each main-frame navigation (a full load, or
/// Blazor's enhanced navigation changing the address), once the page has gone quiet. Each page is audited once per test
/// run in each form it takes (<see cref="FormAsync"/>), whichever test shows it first. Serious and critical violations
/// are collected; <see cref="AssertCleanAsync"/> waits for running audits and fails.</summary>
public sealed partial class AxeAudit
{
    static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        ResultTypes = [ResultType.Violations],
        // axe scrolls elements into view to measure contrast; the test driving the page must find them where it left them.
        RestoreScroll = true,
    };

    // Shared by every test of the run: the sign-in, home and grading pages are shown by almost every test, and each axe
    // run costs a second or two of the two cores the apps, the browsers and the tests share.
    static readonly ConcurrentDictionary<string, byte> Audited = new();
    readonly ConcurrentQueue<Task> _running = new();
    readonly ConcurrentQueue<string> _violations = new();

    /// <summary>Audits every page that opens in the context from now on.</summary>
    public void Watch(IBrowserContext context)
    {
        context.Page += (_, page) => Watch(page);
        foreach (var page in context.Pages) Watch(page);
    }

    // axe refuses to start while it runs on the same page.
    static readonly ConditionalWeakTable<IPage, SemaphoreSlim> OneAtATime = [];

    void Watch(IPage page)
    {
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame) _running.Enqueue(AuditWhenQuietAsync(page, Address(frame.Url)));
        };
    }

    async Task AuditWhenQuietAsync(IPage page, string address)
    {
        if (!address.StartsWith("http", StringComparison.Ordinal)) return;
        try
        {
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            await QuietAsync(page);
            // Navigated on since: that navigation audits its own address.
            if (Address(page.Url) != address) return;
            var form = $"{Route(address)} {await FormAsync(page)}";
            if (!Audited.TryAdd(form, 0)) return;
            var violations = await AuditAsync(page);
            // Blazor's HeadOutlet rewrites the <title> when the page turns interactive: on a busy machine axe can read the
            // document in between. A title that is missing for good is still missing after the wait and is reported.
            if (violations.Any(v => v.Contains(" document-title ", StringComparison.Ordinal)))
            {
                await TitledAsync(page);
                violations = await AuditAsync(page);
            }
            // Navigated on during the run: axe may have read either document, so this result names neither.
            if (Address(page.Url) != address)
            {
                Audited.TryRemove(form, out _);
                return;
            }
            Record(violations);
        }
        catch (PlaywrightException)
        {
            // The page closed or navigated away mid-audit; its next address is audited on its own.
        }
    }

    /// <summary>Runs axe on the page as it is now; the violations of the given impacts (by default serious and critical),
    /// one line each, starting with the impact.</summary>
    public static async Task<IReadOnlyList<string>> AuditAsync(IPage page, params string[] impacts)
    {
        if (impacts.Length == 0) impacts = ["serious", "critical"];
        // A download or an API answer shown as text is not a page of the app.
        if (await page.EvaluateAsync<string>("document.contentType") != "text/html") return [];
        var oneAtATime = OneAtATime.GetValue(page, _ => new SemaphoreSlim(1));
        await oneAtATime.WaitAsync();
        AxeResult result;
        try
        {
            result = await page.RunAxe(Options);
        }
        finally
        {
            oneAtATime.Release();
        }
        return [.. result.Violations
            .Where(v => impacts.Contains(v.Impact))
            .Select(v => $"{v.Impact} {v.Id} on {page.Url}: {v.Help}; at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")];
    }

    /// <summary>Waits until the document has not changed for 300 ms (Blazor has rendered), at most 5 s.</summary>
    static Task QuietAsync(IPage page) => page.EvaluateAsync("""
        () => new Promise(resolve => {
          let timer;
          const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 300); });
          const done = () => { observer.disconnect(); resolve(); };
          observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
          timer = setTimeout(done, 300);
          setTimeout(done, 5000);
        })
        """);

    /// <summary>Waits until the document has a title, at most 5 s.</summary>
    static async Task TitledAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync("() => document.title.length > 0", null, new() { Timeout = 5000 });
        }
        catch (TimeoutException)
        {
            // No title in 5 s: the audit that follows reports it.
        }
    }

    void Record(IEnumerable<string> violations)
    {
        foreach (var violation in violations) _violations.Enqueue(violation);
    }

    /// <summary>What makes one showing of a page differ from another for axe: its language and the elements it names
    /// (ids, numbers aside). The coordinator's and the rater's view of a page, or a pairwise and a single-answer dashboard,
    /// are different forms; the same page for another item or another test's study is the same form.</summary>
    static Task<string> FormAsync(IPage page) => page.EvaluateAsync<string>("""
        () => document.documentElement.lang + ' ' + [...new Set([...document.querySelectorAll('[id]')]
          .map(e => e.localName + '#' + e.id.replace(/[0-9a-f]{8,}(-[0-9a-f]{4,})*|\d+/g, '#')))].sort().join(',')
        """);

    // One audit per path: the same page under another query (sign-in with each of XssTests' return addresses) is the same markup.
    static string Address(string url) => url.Split('#', '?')[0];

    // /grade/19 and /grade/27 are the same page with other text.
    static string Route(string address) => Ids().Replace(address, "/#");

    // Database ids in coordinators' addresses, response handles (16 hex digits) in raters'.
    [GeneratedRegex(@"/(\d+|[0-9a-f]{16})(?=/|$)")]
    private static partial Regex Ids();

    /// <summary>Waits for the audits still running and fails, naming each rule, address and element, if any found a
    /// serious or critical violation.</summary>
    public async Task AssertCleanAsync()
    {
        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(60));
        if (!_violations.IsEmpty)
            throw new Xunit.Sdk.XunitException($"Accessibility (axe-core) found serious or critical violations:\n{string.Join('\n', _violations.Distinct())}");
    }
}
