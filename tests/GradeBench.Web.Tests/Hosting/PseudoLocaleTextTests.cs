namespace GradeBench.Web.Tests.Hosting;

/// <summary>The check the pseudo-locale page tests rely on: what it flags and what it leaves alone.</summary>
public sealed class PseudoLocaleTextTests
{
    [Fact]
    public void UnmarkedTextAndSpokenAttributesAreFlaggedContentNamesAndNumbersAreNot()
    {
        const string Html = """
            <html><head><title>⟦Grading⟧ · GradeBench</title></head><body>
            <h1>⟦Response {0} of {1}⟧</h1><p>Hard-coded</p>
            <button aria-label="Close">×</button><button aria-label="⟦Close⟧">×</button>
            <div lang="zh-CN">患者男性，68岁</div><span translate="no">Dr Wang</span>
            <p>12 / 40 · 95% (0.61–0.80)</p><p>⟦Saved ⟦at⟧ 10:42⟧</p>
            <div hidden>Hidden text</div><script>var x = "code";</script>
            </body></html>
            """;

        var found = PseudoLocaleText.Unmarked(Html, allowed: ["GradeBench"]);

        Assert.Equal(["p: Hard-coded", "button[aria-label]: Close"], found);
    }
}
