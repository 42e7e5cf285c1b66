using GradeBench.Core.Adjudication;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Adjudication;

public sealed class AdjudicationRulesTests
{
    internal static readonly Criterion Likert = new("consensus", "Agreement with consensus", null, CriterionType.Likert, true, 1, 5, [], []);
    internal static readonly Criterion Harm = new("harm_extent", "Extent of possible harm", null, CriterionType.Ordinal, true, null, null, [],
        [new("none", "No harm"), new("mild", "Mild"), new("severe", "Severe")]);
    internal static readonly Criterion Kind = new("error_type", "Main error type", null, CriterionType.Nominal, false, null, null, [],
        [new("none", "None"), new("knowledge", "Knowledge"), new("reasoning", "Reasoning")]);
    internal static readonly Criterion Hallucination = new("hallucination", "Hallucination", null, CriterionType.Binary, true, null, null, [], []);
    internal static readonly Criterion Confidence = new("confidence", "Confidence (%)", null, CriterionType.Numeric, false, 0, 100, [], []);
    internal static readonly Criterion Comment = new("comment", "Comment", null, CriterionType.Text, false, null, null, [], []);
    internal static readonly IReadOnlyList<Criterion> All = [Likert, Harm, Kind, Hallucination, Confidence, Comment];

    [Fact]
    public void DefaultsFollowTheCriterionType()
    {
        var rules = AdjudicationSettings.Defaults(All).Rules;

        Assert.Equal(DisagreementRule.Range(2), rules["consensus"]);
        Assert.Equal(DisagreementRule.Any, rules["harm_extent"]);
        Assert.Equal(DisagreementRule.Any, rules["error_type"]);
        Assert.Equal(DisagreementRule.Any, rules["hallucination"]);
        Assert.Equal(DisagreementRule.Never, rules["confidence"]);
        Assert.Equal(DisagreementRule.Never, rules["comment"]);
    }

    [Theory]
    [InlineData(new[] { "3", "4", "4" }, false)]
    [InlineData(new[] { "3", "5" }, true)]
    [InlineData(new[] { "1", "3", "2" }, true)]
    [InlineData(new[] { "5" }, false)]
    public void LikertDisagreesWhenTheRangeIsTwoOrMore(string[] values, bool disagree) =>
        Assert.Equal(disagree, DisagreementRule.Default(Likert).Disagree(Likert, values));

    [Fact]
    public void OrdinalBinaryAndNominalDisagreeOnAnyDifference()
    {
        Assert.True(DisagreementRule.Default(Harm).Disagree(Harm, ["none", "mild"]));
        Assert.False(DisagreementRule.Default(Harm).Disagree(Harm, ["mild", "mild", "mild"]));
        Assert.True(DisagreementRule.Default(Hallucination).Disagree(Hallucination, ["true", "false"]));
        Assert.True(DisagreementRule.Default(Kind).Disagree(Kind, ["knowledge", "reasoning"]));
    }

    [Fact]
    public void NumericAndTextNeverDisagreeByDefault()
    {
        Assert.False(DisagreementRule.Default(Confidence).Disagree(Confidence, ["0", "100"]));
        Assert.False(DisagreementRule.Any.Disagree(Comment, ["fine", "dangerous"]));
    }

    [Fact]
    public void AnOrdinalRangeCountsOptionPositions()
    {
        var rule = DisagreementRule.Range(2);

        Assert.False(rule.Disagree(Harm, ["none", "mild"]));
        Assert.True(rule.Disagree(Harm, ["none", "mild", "severe"]));
    }

    [Fact]
    public void ANumericRangeComparesTheNumbers() =>
        Assert.True(DisagreementRule.Range(25).Disagree(Confidence, ["50", "75.5"]));

    [Fact]
    public void ARangeEqualToTheThresholdDisagreesAsWritten()
    {
        // 0.3 − 0.1 is 0.2 exactly; in doubles 0.19999999999999998, under the threshold 0.2.
        Assert.True(DisagreementRule.Range(0.2).Disagree(Confidence, ["0.1", "0.3"]));
        Assert.False(DisagreementRule.Range(0.2).Disagree(Confidence, ["0.1", "0.29"]));
        Assert.True(DisagreementRule.Range(0.2).Disagree(Confidence, ["0.1", "1E+30"]));
    }

    [Fact]
    public void TheDefaultSafetyRuleIsTheLastOptionOfOrdinalCriteriaAboutHarm()
    {
        var aboutHarmByLabel = Kind with { Id = "danger", Label = "Potential HARM", Type = CriterionType.Ordinal };
        var notOrdinal = Hallucination with { Id = "harmful" };

        var safety = AdjudicationSettings.DefaultSafety([Likert, Harm, aboutHarmByLabel, notOrdinal, Comment]);

        Assert.Equal([("harm_extent", "severe"), ("danger", "reasoning")], safety.Select(t => (t.CriterionId, Assert.Single(t.Values))));
    }

    [Fact]
    public void TheDemoStudyAlertsOnTheMostSevereExtentAndLikelihoodOfHarm()
    {
        var study = BundleReader.Read(TestPaths.DemoBundle).Bundle!.Study;

        Assert.Equal([("harm_extent", "severe-death"), ("harm_likelihood", "high")],
            study.Adjudication!.Safety.Select(t => (t.CriterionId, Assert.Single(t.Values))));
    }

    [Fact]
    public void TriageNamesDisagreeingCriteriaInRubricOrderAndTheSafetyRatings()
    {
        var settings = AdjudicationSettings.Defaults(All);
        SubmittedValue[] ratings =
        [
            new(1, 10, "consensus", "5"), new(1, 11, "consensus", "4"), new(1, 10, "harm_extent", "none"), new(1, 11, "harm_extent", "none"),
            new(2, 10, "hallucination", "true"), new(2, 11, "hallucination", "false"), new(2, 10, "consensus", "1"), new(2, 11, "consensus", "3"),
            new(3, 10, "harm_extent", "severe"), new(3, 11, "harm_extent", "severe"),
            new(4, 10, "comment", "a"), new(4, 11, "comment", "b"), new(4, 10, "unknown", "x"), new(4, 11, "unknown", "y"),
        ];

        var needs = AdjudicationTriage.Decide(All, settings, ratings);

        Assert.Equal([2L, 3L], needs.Select(n => n.ResponseId));
        Assert.Equal(["consensus", "hallucination"], needs[0].DisagreeingCriteria);
        Assert.False(needs[0].Safety);
        Assert.False(needs[1].Disagreement);
        Assert.Equal([10L, 11L], needs[1].SafetyValues.Select(v => v.RaterId));
    }

    [Fact]
    public void DisagreeingMarksOfAResponsesChecklistSendItToAdjudicationAfterTheRubricsUnlessTheStudySaysNever()
    {
        IReadOnlyList<Criterion> checklist = [new CaseCriterion("tnk-dose", "States the dose", 5, []).AsCriterion(),
            new CaseCriterion("harm_extent-2", "Delays", -6, []).AsCriterion()];
        SubmittedValue[] ratings =
        [
            new(1, 10, "consensus", "5"), new(1, 11, "consensus", "1"), new(1, 10, "tnk-dose", "true"), new(1, 11, "tnk-dose", "false"),
            new(2, 10, "tnk-dose", "true"), new(2, 11, "tnk-dose", "false"), // response 2's case has no checklist: not its criterion
            new(3, 10, "harm_extent-2", "true"), new(3, 11, "harm_extent-2", "true"), new(3, 10, "tnk-dose", "false"), new(3, 11, "tnk-dose", "false"),
        ];
        IReadOnlyList<Criterion> ChecklistOf(long response) => response == 2 ? [] : checklist;
        var settings = AdjudicationSettings.Defaults(All) with { Safety = [new SafetyTrigger("harm_extent-2", ["true"])] };

        var any = AdjudicationTriage.Decide(All, settings, ratings, ChecklistOf);
        var never = AdjudicationTriage.Decide(All, settings with { Checklist = DisagreementRule.Never }, ratings, ChecklistOf);

        Assert.Equal([1L], any.Select(n => n.ResponseId));
        Assert.Equal(["consensus", "tnk-dose"], any[0].DisagreeingCriteria);
        Assert.Equal(["consensus"], Assert.Single(never).DisagreeingCriteria);
    }

    [Fact]
    public void AnItemIsSettledWhenEveryCriterionButFreeTextHasAConsensusValue()
    {
        Assert.False(AdjudicationTriage.IsSettled(All, new HashSet<string> { "consensus", "harm_extent", "error_type", "hallucination" }));
        Assert.True(AdjudicationTriage.IsSettled(All, new HashSet<string> { "consensus", "harm_extent", "error_type", "hallucination", "confidence" }));
    }
}
