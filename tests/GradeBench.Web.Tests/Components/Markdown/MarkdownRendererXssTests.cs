using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using GradeBench.Web.Components.Markdown;

namespace GradeBench.Web.Tests.Components.Markdown;

/// <summary>Case text and LLM responses are untrusted: whatever they hold, the rendered HTML must be inert. The
/// checks parse the output as a browser would (AngleSharp) instead of searching strings, so encodings and broken
/// markup are judged by what they become.</summary>
public sealed partial class MarkdownRendererXssTests : IDisposable
{
    static readonly HashSet<string> AllowedElements =
    [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong", "del",
        "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "br",
    ];
    static readonly HashSet<string> AllowedAttributes = ["href", "rel", "align", "start", "tabindex"];
    static readonly HashSet<string> SafeSchemes = ["http", "https", "mailto"];

    readonly MarkdownRenderer _renderer = new();

    public static TheoryData<string, string> Payloads() => XssPayloads.Cases();

    [Fact]
    public void CorpusHoldsAtLeastTwentyFivePayloads() => Assert.True(XssPayloads.All.Count >= 25, $"only {XssPayloads.All.Count} payloads");

    [Theory]
    [MemberData(nameof(Payloads))]
    public void PayloadKeepsItsTextButNothingActive(string name, string markdown)
    {
        var body = Parse(_renderer.Render(markdown).Value);

        foreach (var element in body.QuerySelectorAll("*"))
        {
            Assert.True(AllowedElements.Contains(element.LocalName), $"{name}: <{element.LocalName}> survived");
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{name}: {attribute.Name} survived");
                Assert.NotEqual("style", attribute.Name);
                Assert.True(AllowedAttributes.Contains(attribute.Name), $"{name}: attribute {attribute.Name} survived");
                // The renderer's own tabindex, so the keyboard can scroll a wide table; no input sets one.
                if (attribute.Name == "tabindex") Assert.True(element.LocalName == "table" && attribute.Value == "0", $"{name}: tabindex=\"{attribute.Value}\" on {element.LocalName} survived");
                if (attribute.Name is "href" or "src")
                    Assert.True(HasSafeScheme(attribute.Value), $"{name}: {attribute.Name}=\"{attribute.Value}\" survived");
            }
        }
        Assert.False(string.IsNullOrWhiteSpace(body.TextContent), $"{name}: the visible text was lost");
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void EveryLinkLeftCarriesRelNoopenerNoreferrerNofollow(string name, string markdown)
    {
        foreach (var anchor in Parse(_renderer.Render(markdown).Value).QuerySelectorAll("a"))
            Assert.True(anchor.GetAttribute("rel") == "noopener noreferrer nofollow", $"{name}: {anchor.OuterHtml}");
    }

    [Fact]
    public void ScriptInAnLlmAnswerShowsAsInertText()
    {
        var body = Parse(_renderer.Render("Answer: <script>alert('pwned')</script> done").Value);

        Assert.Empty(body.QuerySelectorAll("script"));
        Assert.Equal("Answer: <script>alert('pwned')</script> done", body.TextContent.Trim());
    }

    [Theory]
    [InlineData("[click me](javascript:alert(1))")]
    [InlineData("[click me](JaVaScRiPt:alert(1))")]
    [InlineData("[click me](&#106;avascript:alert(1))")]
    [InlineData("[click me][r]\n\n[r]: javascript:alert(1)")]
    public void UnsafeLinkKeepsItsTextAndLosesTheLink(string markdown)
    {
        var body = Parse(_renderer.Render(markdown).Value);

        Assert.Empty(body.QuerySelectorAll("a"));
        Assert.Equal("click me", body.TextContent.Trim());
    }

    [Fact]
    public void AutolinkWithAnUnsafeSchemeShowsItsAddressAsText()
    {
        var body = Parse(_renderer.Render("<javascript:alert(1)>").Value);

        Assert.Empty(body.QuerySelectorAll("a"));
        Assert.Equal("javascript:alert(1)", body.TextContent.Trim());
    }

    [Theory]
    [InlineData("![chest x-ray](https://images.example/cxr.png)")]
    [InlineData("![chest x-ray](javascript:alert(1))")]
    [InlineData("![chest x-ray](data:image/png;base64,iVBORw0KGgo=)")]
    public void ImagesShowOnlyTheirAltTextAndLoadNothing(string markdown)
    {
        var body = Parse(_renderer.Render(markdown).Value);

        Assert.Empty(body.QuerySelectorAll("img"));
        Assert.Equal("chest x-ray", body.TextContent.Trim());
    }

    [Theory]
    [InlineData("[close the study](/studies/1/close)")]
    [InlineData("[phish](//evil.example/login)")]
    [InlineData("[top](#top)")]
    public void RelativeLinksKeepTheirTextAndLoseTheLink(string markdown) =>
        Assert.Empty(Parse(_renderer.Render(markdown).Value).QuerySelectorAll("a"));

    public void Dispose() => _renderer.Dispose();

    static IElement Parse(string html) => new HtmlParser().ParseDocument($"<!DOCTYPE html><html><body>{html}</body></html>").Body!;

    /// <summary>Judges a URL the way a browser reads it (WHATWG URL: tabs and newlines removed anywhere, C0 controls
    /// and spaces trimmed at the ends), independently of the production check.</summary>
    static bool HasSafeScheme(string value)
    {
        var url = new string(value.Where(c => c is not ('\t' or '\n' or '\r')).ToArray()).Trim(ControlsAndSpace);
        var scheme = SchemePattern().Match(url);
        return scheme.Success && SafeSchemes.Contains(scheme.Groups[1].Value.ToLowerInvariant());
    }

    static readonly char[] ControlsAndSpace = [.. Enumerable.Range(0, 0x21).Select(i => (char)i)];

    [GeneratedRegex("^([a-zA-Z][a-zA-Z0-9+.-]*):")]
    private static partial Regex SchemePattern();
}
