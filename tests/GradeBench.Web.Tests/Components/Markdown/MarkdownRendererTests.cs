using Bunit;
using GradeBench.Web.Components.Markdown;

namespace GradeBench.Web.Tests.Components.Markdown;

/// <summary>What Markdown is for survives the narrowing: tables, lists, emphasis, code, links. And the cache does
/// its two jobs: one render per text, a ceiling on memory.</summary>
public sealed class MarkdownRendererTests : IDisposable
{
    const string Rel = "noopener noreferrer nofollow";
    readonly MarkdownRenderer _renderer = new();

    [Fact]
    public void GfmTableRendersWithItsAlignmentAsAttributesNotStyles()
    {
        const string markdown = """
            | Drug | Dose (mg) | Route |
            |:-----|----------:|:-----:|
            | Alteplase | 0.9 per kg | IV |
            | *Aspirin* | 300 | PO |
            """;

        _renderer.Render(markdown).Value.MarkupMatches("""
            <table tabindex="0">
              <thead><tr><th align="left">Drug</th><th align="right">Dose (mg)</th><th align="center">Route</th></tr></thead>
              <tbody>
                <tr><td align="left">Alteplase</td><td align="right">0.9 per kg</td><td align="center">IV</td></tr>
                <tr><td align="left"><em>Aspirin</em></td><td align="right">300</td><td align="center">PO</td></tr>
              </tbody>
            </table>
            """);
    }

    [Fact]
    public void ListsRenderNestedAndNumberedFromTheirStart()
    {
        const string markdown = """
            - NIHSS
              - at admission
            - CT

            3. third
            4. fourth
            """;

        _renderer.Render(markdown).Value.MarkupMatches("""
            <ul><li>NIHSS<ul><li>at admission</li></ul></li><li>CT</li></ul>
            <ol start="3"><li>third</li><li>fourth</li></ol>
            """);
    }

    [Fact]
    public void EmphasisStrongAndStrikethroughRenderWhileSingleTildesStayLiteral() =>
        _renderer.Render("*possible* **stroke**, ~~TIA~~, dose ~5 mg to ~10 mg").Value
            .MarkupMatches("<p><em>possible</em> <strong>stroke</strong>, <del>TIA</del>, dose ~5 mg to ~10 mg</p>");

    [Fact]
    public void FencedCodeKeepsHtmlAsTextAndDropsTheLanguageClass() =>
        _renderer.Render("```html\n<b onclick=\"x()\">bold</b>\n```\n\nand `<i>` inline").Value.MarkupMatches("""
            <pre><code>&lt;b onclick="x()"&gt;bold&lt;/b&gt;
            </code></pre>
            <p>and <code>&lt;i&gt;</code> inline</p>
            """);

    [Fact]
    public void HttpLinkKeepsItsHrefLosesItsTitleAndGetsRel() =>
        _renderer.Render("See [the AHA guideline](https://www.ahajournals.org/doi/10.1161/STR.0000000000000211 \"AHA 2019\").").Value
            .MarkupMatches($"""<p>See <a href="https://www.ahajournals.org/doi/10.1161/STR.0000000000000211" rel="{Rel}">the AHA guideline</a>.</p>""");

    [Fact]
    public void MailtoAndBareLinksAreKept() =>
        _renderer.Render("Write to <stroke@example.org> or [the unit](mailto:unit@example.org), see www.example.org").Value
            .MarkupMatches($"""
                <p>Write to <a href="mailto:stroke@example.org" rel="{Rel}">stroke@example.org</a>
                or <a href="mailto:unit@example.org" rel="{Rel}">the unit</a>,
                see <a href="http://www.example.org" rel="{Rel}">www.example.org</a></p>
                """);

    [Fact]
    public void ChineseTextAndItsEmphasisRender() =>
        _renderer.Render("患者**男性**，65岁。主诉：突发*左侧肢体无力*2小时。").Value
            .MarkupMatches("<p>患者<strong>男性</strong>，65岁。主诉：突发<em>左侧肢体无力</em>2小时。</p>");

    [Fact]
    public void HeadingsStartAtH3AndSkipNoLevel() =>
        _renderer.Render("# Guidelines\n\n### Severity\n\n##### Examples\n\n### Safety").Value
            .MarkupMatches("<h3>Guidelines</h3><h4>Severity</h4><h5>Examples</h5><h4>Safety</h4>");

    [Fact]
    public void HeadingsQuotesRulesAndHardBreaksRender() =>
        _renderer.Render("## Assessment\n\n> quoted  \nline two\n\n---").Value
            .MarkupMatches("<h3>Assessment</h3><blockquote><p>quoted<br>line two</p></blockquote><hr>");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void MissingTextRendersNothing(string? markdown) => Assert.Equal(string.Empty, _renderer.Render(markdown).Value);

    [Fact]
    public void SameTextReturnsTheSameCachedString()
    {
        var first = _renderer.Render("**NIHSS** 14");
        var second = _renderer.Render(new string("**NIHSS** 14".AsSpan()));

        Assert.Same(first.Value, second.Value);
        Assert.NotSame(first.Value, _renderer.Render("**NIHSS** 15").Value);
        Assert.Equal(2, _renderer.CachedCount);
    }

    [Fact]
    public void CacheNeverGrowsBeyondItsSizeLimit()
    {
        const long limit = 4 * (MarkdownRenderer.EntryOverhead + 64);
        using var renderer = new MarkdownRenderer(limit);

        for (var i = 0; i < 100; i++)
        {
            renderer.Render($"Response {i}: *tPA* within 4.5 h");
            Assert.True(renderer.CachedSize <= limit, $"{renderer.CachedSize} > {limit} after {i + 1} texts");
        }
        Assert.InRange(renderer.CachedCount, 1, 4);
    }

    [Fact]
    public void TextTooLargeForTheCacheIsStillRenderedButNotKept()
    {
        using var renderer = new MarkdownRenderer(cacheSizeLimit: 1000);
        var markdown = string.Join("\n\n", Enumerable.Repeat("A long paragraph about thrombolysis.", 50));

        var html = renderer.Render(markdown).Value;

        Assert.Equal(50, html.Split("<p>").Length - 1);
        Assert.Equal(0, renderer.CachedCount);
    }

    [Fact]
    public void ConcurrentRendersAgreeWithSequentialOnes()
    {
        var texts = XssPayloads.All.Select(p => p.Markdown).ToArray();
        using var reference = new MarkdownRenderer();
        var expected = texts.Select(t => reference.Render(t).Value).ToArray();

        var actual = new string[texts.Length * 20];
        Parallel.For(0, actual.Length, i => actual[i] = _renderer.Render(texts[i % texts.Length]).Value);

        for (var i = 0; i < actual.Length; i++) Assert.Equal(expected[i % texts.Length], actual[i]);
    }

    public void Dispose() => _renderer.Dispose();
}
