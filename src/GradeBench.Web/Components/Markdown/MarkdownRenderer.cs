using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;
using Markdig.Extensions.EmphasisExtras;
using Markdig.Extensions.Tables;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Caching.Memory;

namespace GradeBench.Web.Components.Markdown;

/// <summary>
/// Turns untrusted Markdown (case text, LLM responses) into HTML that carries no active content: Markdig with raw
/// HTML disabled, links other than absolute http/https/mailto unwrapped to their text, images shown as their alt
/// text, then HtmlSanitizer narrowed to the tags Markdown produces. Results are cached per text, because sanitizing
/// costs far more than parsing and the grading page shows the same texts over and over. Thread-safe.
/// </summary>
/// <param name="cacheSizeLimit">Budget of the cache in characters of HTML (plus <see cref="EntryOverhead"/> per entry).</param>
public sealed class MarkdownRenderer(long cacheSizeLimit = MarkdownRenderer.DefaultCacheSizeLimit) : IDisposable
{
    /// <summary>16 Mi characters, about 32 MB of UTF-16: thousands of typical answers, a fixed ceiling however big the study.</summary>
    public const long DefaultCacheSizeLimit = 16 * 1024 * 1024;

    /// <summary>What an entry costs beyond its HTML (key, entry object, dictionary slot), so many tiny texts stay bounded too.</summary>
    public const int EntryOverhead = 256;

    static readonly string[] AllowedSchemes = ["http", "https", "mailto"];

    // Markdig documents its pipeline as thread-safe once built, and HtmlSanitizer its Sanitize() once configured,
    // so one of each serves every circuit.
    static readonly MarkdownPipeline Pipeline = BuildPipeline();
    static readonly HtmlSanitizer Sanitizer = BuildSanitizer();

    // Our own MemoryCache rather than the app's IMemoryCache: the size limit then governs Markdown alone and its
    // unit (characters) cannot clash with other users. Over the limit, new entries are simply not stored until the
    // background compaction has made room, which is the right failure mode for a cache.
    readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = cacheSizeLimit, CompactionPercentage = 0.25, TrackStatistics = true });

    /// <summary>Safe HTML for <paramref name="markdown"/>; the same text returns the same cached string while it stays cached.</summary>
    public MarkupString Render(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown)) return new MarkupString(string.Empty);
        var key = KeyOf(markdown);
        if (_cache.TryGetValue(key, out string? cached)) return new MarkupString(cached!);
        // Two circuits asking for the same new text may both render it; the work is idempotent, so no lock.
        var html = ToSafeHtml(markdown);
        _cache.Set(key, html, new MemoryCacheEntryOptions { Size = html.Length + EntryOverhead });
        return new MarkupString(html);
    }

    /// <summary>Entries currently cached.</summary>
    public int CachedCount => _cache.Count;

    /// <summary>Current size of the cache in the unit of <c>cacheSizeLimit</c>; never above it.</summary>
    public long CachedSize => _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public void Dispose() => _cache.Dispose();

    static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdig.Markdown.ToHtml(markdown, Pipeline));

    // A SHA-256 of the UTF-16 code units: the cache does not keep every source text alive, and hashing needs no
    // intermediate byte array. Collisions are not a practical concern at 256 bits.
    static string KeyOf(string text) => Convert.ToBase64String(SHA256.HashData(MemoryMarshal.AsBytes(text.AsSpan())));

    static MarkdownPipeline BuildPipeline()
    {
        var builder = new MarkdownPipelineBuilder()
            // Raw HTML in the source becomes visible text: an LLM writing <script> shows the tag, it does not run it.
            .DisableHtml()
            .UsePipeTables(new PipeTableOptions { UseGfmRules = true })
            // Only ~~strike~~: single tildes stay literal, so "~5 mg" in a clinical answer is not struck through.
            .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
            // Bare http(s)/www addresses become links, as on GitHub; they go through the same scheme check below.
            .UseAutoLinks()
            // **強調**。 and similar CJK punctuation next to emphasis markers parse as emphasis.
            .UseCjkFriendlyEmphasis();
        builder.DocumentProcessed += Neutralise;
        return builder.Build();
    }

    /// <summary>
    /// Markdig is a Markdown processor, not a sanitizer: it happily renders <c>[x](javascript:...)</c> and images
    /// with any URL. So before rendering, links must be absolute http/https/mailto or they lose their link and keep
    /// their text; images are never loaded (no tracking pixels, no remote content in front of raters) and show their
    /// alt text; table alignment moves from a style attribute to the inert align attribute, so no style survives;
    /// headings move down to fit under the page's own.
    /// </summary>
    static void Neutralise(MarkdownDocument document)
    {
        // Collect first, change afterwards: the traversal must see the tree exactly as Markdig built it.
        var objects = document.Descendants().ToList();
        foreach (var link in objects.OfType<LinkInline>())
        {
            if (link.IsImage || !IsAllowedUrl(link.GetDynamicUrl?.Invoke() ?? link.Url)) Unwrap(link);
            else link.Title = null;
        }
        foreach (var autolink in objects.OfType<AutolinkInline>())
        {
            var url = autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url;
            if (!IsAllowedUrl(url)) autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }
        foreach (var table in objects.OfType<Table>()) MoveAlignmentToAttributes(table);
        FitHeadingsUnderThePage(objects.OfType<HeadingBlock>().ToList());
    }

    /// <summary>The level a text's highest heading renders at: study text sits under the page's h1 and a pane's h2.</summary>
    public const int FirstHeadingLevel = 3;

    /// <summary>A text's headings start at h3 and skip no level (its levels keep their order: "#", "###" become h3, h4),
    /// so the page's outline stays in order for screen readers; a guideline's "# Rating guidelines" is no second h1.</summary>
    static void FitHeadingsUnderThePage(List<HeadingBlock> headings)
    {
        var levels = headings.Select(h => h.Level).Distinct().Order().ToList();
        foreach (var heading in headings) heading.Level = Math.Min(6, FirstHeadingLevel + levels.IndexOf(heading.Level));
    }

    /// <summary>Replaces a link or image by its children, so its text stays where it was.</summary>
    // MoveChildrenAfter links siblings in both directions; Inline.InsertBefore leaves the backward link unset, which
    // Markdig's own Descendants() walks, so a hand-written unwrap with it hid later links from the check above.
    static void Unwrap(ContainerInline container)
    {
        container.MoveChildrenAfter(container);
        container.Remove();
    }

    static void MoveAlignmentToAttributes(Table table)
    {
        foreach (var row in table.OfType<TableRow>())
            for (var i = 0; i < row.Count; i++)
            {
                if (row[i] is not TableCell cell) continue;
                var column = cell.ColumnIndex < 0 ? i : cell.ColumnIndex;
                if (column >= table.ColumnDefinitions.Count) continue;
                var align = table.ColumnDefinitions[column].Alignment switch
                {
                    TableColumnAlign.Left => "left",
                    TableColumnAlign.Center => "center",
                    TableColumnAlign.Right => "right",
                    _ => null,
                };
                if (align is not null) cell.GetAttributes().AddPropertyIfNotExist("align", align);
            }
        foreach (var column in table.ColumnDefinitions) column.Alignment = null;
    }

    /// <summary>
    /// Absolute http, https or mailto only. Relative and protocol-relative URLs are refused too: a rater should never
    /// be one click from an action inside GradeBench that a model's output chose for them.
    /// </summary>
    internal static bool IsAllowedUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return false;
        url = url.Trim();
        // The literal prefix must be the scheme Uri found, so no leniency of the parser can hide a different one.
        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && AllowedSchemes.Contains(uri.Scheme)
            && url.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Exactly what the pipeline above can emit, nothing else. The sanitizer is the second wall: whatever slips past
    /// the Markdown stage (a Markdig bug, a future extension) still cannot become a script, a frame or a style.
    /// </summary>
    static HtmlSanitizer BuildSanitizer()
    {
        var options = HtmlSanitizerOptions.Empty();
        options.AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong",
            "del", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "br",
        };
        // href on links, align on table cells, start on ordered lists that do not begin at 1.
        options.AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "align", "start" };
        options.UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" };
        options.AllowedSchemes = new HashSet<string>(AllowedSchemes, StringComparer.OrdinalIgnoreCase);
        var sanitizer = new HtmlSanitizer(options);
        // HtmlSanitizer keeps relative URLs; the Markdown stage already refuses them, and so does this stage.
        sanitizer.FilterUrl += (_, e) => { if (!IsAllowedUrl(e.OriginalUrl)) e.SanitizedUrl = null; };
        // Added after filtering, so no input can set rel; links leave without referrer and carry no endorsement.
        // A table wider than its pane scrolls sideways inside it (app.css); tabindex lets the keyboard scroll it too.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } anchor) anchor.SetAttribute("rel", "noopener noreferrer nofollow");
            if (e.Node is IElement { LocalName: "table" } table) table.SetAttribute("tabindex", "0");
        };
        return sanitizer;
    }
}
