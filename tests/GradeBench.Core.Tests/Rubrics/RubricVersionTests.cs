using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Rubrics;

public sealed class RubricVersionTests
{
    static Criterion Quality(string label = "Quality", double? max = 5) =>
        new("q", label, null, CriterionType.Likert, true, 1, max, [new CriterionOption("1", "Bad")], [])
        {
            LabelTranslations = new Translations([new("zh-CN", "质量")]),
        };

    static readonly Criterion Harm = new("harm", "Harm", "Any harm?", CriterionType.Binary, false, null, null, [], []);

    /// <summary>The canonical JSON of the remarks, hashed by Python's hashlib: <c>[{"id":"q","type":"likert","label":"Quality",
    /// "label_translations":{"zh-CN":"质量"},"help_md":null,"help_translations":{},"required":true,"min":1,"max":5,
    /// "options":[],"anchors":[{"value":"1","label":"Bad","label_translations":{}}]}]</c> without the line breaks.</summary>
    [Fact]
    public void AVersionIsTheSha256OfTheCanonicalJson() =>
        Assert.Equal("2007373c067c4c290d33e60d05088addb82b68b458530f2a1ea2c47bbecd39de", RubricVersion.Of([Quality()]));

    [Fact]
    public void AnythingARaterCouldSeeGivesAnotherVersion()
    {
        var versions = new[]
        {
            RubricVersion.Of([Quality(), Harm]),
            RubricVersion.Of([Harm, Quality()]),
            RubricVersion.Of([Quality("Overall quality"), Harm]),
            RubricVersion.Of([Quality(max: 7), Harm]),
            RubricVersion.Of([Quality() with { LabelTranslations = Translations.None }, Harm]),
            RubricVersion.Of([Quality(), Harm with { Required = true }]),
        };

        Assert.Equal(versions.Length, versions.Distinct().Count());
        Assert.Equal(versions[0], RubricVersion.Of([Quality(), Harm]));
    }
}
