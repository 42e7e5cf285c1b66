using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Tests.Rubrics;

public sealed class RubricScaleTests
{
    static Criterion Make(CriterionType type, double? min = null, double? max = null, CriterionOption[]? anchors = null,
        CriterionOption[]? options = null) =>
        new("c", "Criterion", null, type, true, min, max, anchors ?? [], options ?? []);

    static readonly Criterion Likert = Make(CriterionType.Likert, 1, 4, anchors: [new("1", "None"), new("4", "Severe")]);
    static readonly Criterion Ordinal = Make(CriterionType.Ordinal, options: [new("none", "No harm"), new("mild", "Mild harm"), new("severe", "Severe harm")]);
    static readonly Criterion Nominal = Make(CriterionType.Nominal, options: [new("knowledge", "Knowledge"), new("reasoning", "Reasoning")]);
    static readonly Criterion Binary = Make(CriterionType.Binary);
    static readonly Criterion Numeric = Make(CriterionType.Numeric, 0, 100);
    static readonly Criterion Text = Make(CriterionType.Text);

    static (string, string)[] Pairs(IEnumerable<CriterionOption> choices) => choices.Select(c => (c.Value, c.Label)).ToArray();

    [Fact]
    public void LikertChoicesAreEveryPointInOrderWithItsAnchor() =>
        Assert.Equal([("1", "1 · None"), ("2", "2"), ("3", "3"), ("4", "4 · Severe")], Pairs(RubricScale.Choices(Likert)));

    [Fact]
    public void LikertWithANegativeMinimumStartsThere() =>
        Assert.Equal(["-2", "-1", "0", "1", "2"], RubricScale.Choices(Make(CriterionType.Likert, -2, 2)).Select(c => c.Value));

    [Fact]
    public void LikertWithoutBoundsHasNoChoices() => Assert.Empty(RubricScale.Choices(Make(CriterionType.Likert)));

    [Fact]
    public void OrdinalChoicesAreItsOptionsInRubricOrder() =>
        Assert.Equal([("none", "No harm"), ("mild", "Mild harm"), ("severe", "Severe harm")], Pairs(RubricScale.Choices(Ordinal)));

    [Fact]
    public void NominalChoicesAreItsOptions() =>
        Assert.Equal([("knowledge", "Knowledge"), ("reasoning", "Reasoning")], Pairs(RubricScale.Choices(Nominal)));

    [Fact]
    public void BinaryChoicesAreYesThenNo() =>
        Assert.Equal([("true", "Yes"), ("false", "No")], Pairs(RubricScale.Choices(Binary)));

    [Fact]
    public void NumericAndTextValuesAreTypedSoHaveNoChoices()
    {
        Assert.Empty(RubricScale.Choices(Numeric));
        Assert.Empty(RubricScale.Choices(Text));
    }

    public static TheoryData<string, string?, string> Descriptions => new()
    {
        { "likert", "4", "4 · Severe" },
        { "likert", "2", "2" },
        { "likert", "9", "9" },
        { "ordinal", "mild", "Mild harm" },
        { "ordinal", "unknown", "unknown" },
        { "nominal", "reasoning", "Reasoning" },
        { "binary", "true", "Yes" },
        { "binary", "false", "No" },
        { "binary", "maybe", "maybe" },
        { "numeric", "72.5", "72.5" },
        { "text", "Looks fine.", "Looks fine." },
        { "likert", null, "—" },
        { "ordinal", "", "—" },
        { "binary", null, "—" },
        { "numeric", "", "—" },
        { "text", null, "—" },
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void AValueReadsAsItsLabel(string kind, string? value, string expected)
    {
        var criterion = kind switch
        {
            "likert" => Likert, "ordinal" => Ordinal, "nominal" => Nominal, "binary" => Binary, "numeric" => Numeric, _ => Text,
        };
        Assert.Equal(expected, RubricScale.Describe(criterion, value));
    }

    [Fact]
    public void EveryChoiceIsLabelledAsItsValueIsDescribed()
    {
        foreach (var criterion in new[] { Likert, Ordinal, Nominal, Binary })
            Assert.All(RubricScale.Choices(criterion), c => Assert.Equal(RubricScale.Describe(criterion, c.Value), c.Label));
    }

    [Fact]
    public void ACategoryReadsAsItsOptionLabelAndAnyOtherValueAsStored()
    {
        Assert.Equal("Mild harm", RubricScale.CategoryLabel(Ordinal, "mild"));
        Assert.Equal("true", RubricScale.CategoryLabel(Binary, "true"));
        Assert.Equal("4", RubricScale.CategoryLabel(Likert, "4"));
    }

    [Fact]
    public void SummariesNameEachKindOfScale()
    {
        Assert.Equal("likert 1–4: 1 = None, 4 = Severe", RubricScale.Summary(Likert));
        Assert.Equal("ordinal: No harm < Mild harm < Severe harm", RubricScale.Summary(Ordinal));
        Assert.Equal("nominal: Knowledge, Reasoning", RubricScale.Summary(Nominal));
        Assert.Equal("yes/no", RubricScale.Summary(Binary));
        Assert.Equal("numeric 0–100", RubricScale.Summary(Numeric));
        Assert.Equal("numeric", RubricScale.Summary(Make(CriterionType.Numeric)));
        Assert.Equal("free text", RubricScale.Summary(Text));
    }

    [Fact]
    public void ShortSummariesCountLevelsInsteadOfNamingThem()
    {
        Assert.Equal("likert 1–4", RubricScale.ShortSummary(Likert));
        Assert.Equal("ordinal, 3 levels", RubricScale.ShortSummary(Ordinal));
        Assert.Equal("nominal, 2 categories", RubricScale.ShortSummary(Nominal));
        Assert.Equal("yes/no", RubricScale.ShortSummary(Binary));
    }
}
