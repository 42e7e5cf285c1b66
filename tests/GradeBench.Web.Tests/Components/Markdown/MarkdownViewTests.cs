using Bunit;
using GradeBench.Web.Components.Markdown;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Components.Markdown;

public sealed class MarkdownViewTests : BunitContext
{
    public MarkdownViewTests() => Services.AddMarkdown();

    [Fact]
    public void RendersTheSanitizedMarkdownInsideAMarkdownDiv()
    {
        var cut = Render<MarkdownView>(p => p.Add(v => v.Text, "**Presentation:** [CT](https://example.org/ct) <img src=x onerror=alert(1)>"));

        cut.MarkupMatches("""
            <div class="markdown">
              <p><strong>Presentation:</strong> <a href="https://example.org/ct" rel="noopener noreferrer nofollow">CT</a>
              &lt;img src=x onerror=alert(1)&gt;</p>
            </div>
            """);
    }

    [Fact]
    public void AddsTheGivenClassBesideMarkdown()
    {
        var cut = Render<MarkdownView>(p => p.Add(v => v.Text, "text").Add(v => v.Class, "response"));

        cut.MarkupMatches("""<div class="markdown response"><p>text</p></div>""");
    }

    [Fact]
    public void ShowsAScriptAsTextAndRendersNoScriptElement()
    {
        var cut = Render<MarkdownView>(p => p.Add(v => v.Text, "<script>alert(1)</script>"));

        Assert.Empty(cut.FindAll("script"));
        cut.MarkupMatches("""<div class="markdown"><p>&lt;script&gt;alert(1)&lt;/script&gt;</p></div>""");
    }

    [Fact]
    public void RendersAgainWhenTheTextChanges()
    {
        var cut = Render<MarkdownView>(p => p.Add(v => v.Text, "first"));

        cut.Render(p => p.Add(v => v.Text, "*second*"));

        cut.MarkupMatches("""<div class="markdown"><p><em>second</em></p></div>""");
    }
}
