using System.Text.Json;
using GradeBench.Core.Grading;

namespace GradeBench.Core.Tests.Grading;

public sealed class HumanSubsetTests
{
    const string Demo = "stroke-llm-synthetic-demo";

    static IReadOnlyList<(string Id, string Model, bool Chosen)> DemoResponses() =>
        [.. File.ReadLines(Path.Combine(TestPaths.DemoBundle, "responses.jsonl")).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("model").GetString()!, false);
        })];

    [Theory]
    [InlineData("0.25", "0.25")]
    [InlineData("1.0", "1.0")]
    [InlineData("1e0", "1.0")]
    [InlineData("2.5E-1", "0.25")]
    [InlineData("40", "40")]
    [InlineData("1", "1")]
    public void AFractionHasADecimalPointAndACountHasNone(string given, string stored)
    {
        var rule = HumanSubset.Parse(given)!;

        Assert.Equal(stored, rule.ToString());
        Assert.Equal(rule, HumanSubset.Parse(rule.ToString()));
        Assert.Equal(given.Contains('.') || given.Contains('e', StringComparison.OrdinalIgnoreCase), rule.Fraction is not null);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("1.5")]
    [InlineData("-0.5")]
    [InlineData("-3")]
    [InlineData("2.0")]
    public void ANumberOutsideTheRulesIsNoSubset(string given) => Assert.Null(HumanSubset.Parse(given));

    [Theory]
    [InlineData("0.07", 100, 7)]  // exact in decimal: in doubles 0.07 × 100 is 7.000000000000001
    [InlineData("0.25", 21, 6)]   // rounded up
    [InlineData("1.0", 21, 21)]
    [InlineData("40", 21, 21)]    // all of a model with fewer
    [InlineData("5", 21, 5)]
    public void TheTargetIsTheFractionRoundedUpOrTheCount(string rule, int responses, int target) =>
        Assert.Equal(target, HumanSubset.Parse(rule)!.Target(responses));

    /// <summary>Python: <c>struct.unpack('&lt;Q', hashlib.sha256(b'stroke-llm-synthetic-demo/case-001.model-a').digest()[:8])[0]</c>.</summary>
    [Fact]
    public void AKeyIsTheSha256OfStudyAndResponseIds() =>
        Assert.Equal(0xf4e37b16930f48efUL, HumanSubset.Key(Demo, "case-001.model-a"));

    /// <summary>The responses of each model of the demo with the five smallest keys, as Python sorts them.</summary>
    [Fact]
    public void AQuarterOfTheDemoIsTheFiveSmallestKeysOfEachModel()
    {
        var responses = DemoResponses();

        var chosen = HumanSubset.Parse("0.25")!.Choose(Demo, responses, responses.Select(r => r.Id).ToHashSet());

        Assert.Equal(
        [
            "case-001.model-c", "case-002.model-c", "case-003.model-b", "case-007.model-a", "case-007.model-c", "case-008.model-b",
            "case-009.model-a", "case-009.model-b", "case-011.model-a", "case-014.model-c", "case-016.model-a", "case-016.model-b",
            "case-017.model-b", "case-018.model-a", "case-019.model-c",
        ], chosen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ResponsesAddedLaterTopEachModelUpToItsTargetAndWhatWasDrawnStays()
    {
        var rule = HumanSubset.Parse("0.25")!;
        var first = DemoResponses().Where(r => r.Id.CompareTo("case-013") < 0).ToList();
        var drawn = rule.Choose(Demo, first, first.Select(r => r.Id).ToHashSet());
        var later = DemoResponses().Where(r => r.Id.CompareTo("case-013") > 0).ToList();

        var added = rule.Choose(Demo, [.. first.Select(r => r with { Chosen = drawn.Contains(r.Id) }), .. later], later.Select(r => r.Id).ToHashSet());

        Assert.Equal([3, 3, 3], drawn.GroupBy(id => id[^7..]).Select(g => g.Count()));
        Assert.Equal([2, 2, 2], added.GroupBy(id => id[^7..]).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.All(added, id => Assert.Contains(later, r => r.Id == id));
    }
}
